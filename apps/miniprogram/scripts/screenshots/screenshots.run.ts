import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { distDir } from "../../test/support/simulated-app";
import { APP_HTTP_ORIGIN } from "../../test/support/wx-shim";
import { screenOf } from "./capture";
import { Camera } from "./chromium";
import { SceneClock } from "./scene-clock";
import { SHOTS } from "./shots";
import { Story } from "./story";

/** Where the pictures go: docs/screenshots/ of the repository (they are documentation). */
const OUT_DIR = process.env.SCREENSHOTS_DIR ?? resolve(distDir, "../../../docs/screenshots");

describe("pnpm screenshots", () => {
  // The story's day is fixed, so every run draws the same times.
  const clock = new SceneClock("2026-12-01");
  let story: Story;
  let camera: Camera;

  beforeAll(async () => {
    clock.install();
    await mkdir(OUT_DIR, { recursive: true });
    [story, camera] = await Promise.all([Story.start(clock), Camera.open()]);
    await camera.route(APP_HTTP_ORIGIN, story.server.httpUrl.replace(/\/+$/, ""));
    // A pending image bubble shows the picked file itself (a temporary path of the phone).
    await camera.serveFiles("http://tmp", (url) => story.tempFile(url));
    await story.tell();
  });

  afterAll(async () => {
    await camera?.close();
    await story?.close();
    clock.uninstall();
  });

  for (const shot of SHOTS) {
    it(`${shot.name}.png: ${shot.what}`, async () => {
      const opened = await shot.take(story);
      await camera.shoot(screenOf(opened, clock.clockText()), join(OUT_DIR, `${shot.name}.png`));
      opened.page.app.close(opened.page);
      await shot.after?.(story);
    });
  }
});
