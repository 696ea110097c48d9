import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * dist/ is what WeChat DevTools opens (project.config.json → miniprogramRoot). These checks stand in
 * for opening it: every page DevTools will look for exists, and nothing in it needs what the mini
 * program runtime lacks (files outside dist/, npm packages, Node built-ins, eval, new Function).
 * The "test" script builds dist/ first.
 */
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(appRoot, "dist");
const repoRoot = resolve(appRoot, "../..");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** WeChat's own WXML (wcc) and WXSS (wcsc) compilers, shipped for Linux in miniprogram-compiler. */
const officialCompiler = createRequire(import.meta.url)("miniprogram-compiler") as {
  wxmlToJs(rootPath: string, options?: object): string;
  wxssToJs(rootPath: string, options?: object): string;
};

const scripts = () => filesUnder(dist).filter((file) => file.endsWith(".js"));

describe("dist/ is a complete mini program", () => {
  it("project.config.json at the repo root points DevTools at dist/", () => {
    const config = JSON.parse(readFileSync(join(repoRoot, "project.config.json"), "utf8"));
    expect(resolve(repoRoot, config.miniprogramRoot)).toBe(dist);
    expect(config.compileType).toBe("miniprogram");
    expect(config.appid).toBe("touristappid");
    expect(config.setting.urlCheck).toBe(false);
  });

  it("app.json lists pages that exist as .js, .json, .wxml and .wxss", () => {
    const app = JSON.parse(readFileSync(join(dist, "app.json"), "utf8"));
    expect(app.pages).toEqual(expect.arrayContaining(["pages/login/login", "pages/conversations/conversations"]));
    expect(app.pages).toContain("pages/chat/chat");
    for (const page of app.pages as string[]) {
      for (const ext of [".js", ".json", ".wxml", ".wxss"]) {
        expect(existsSync(join(dist, page + ext)), `${page}${ext}`).toBe(true);
      }
      // Pages are built with Component(): WeChat then needs usingComponents in the page json.
      const json = JSON.parse(readFileSync(join(dist, `${page}.json`), "utf8"));
      expect(json.usingComponents, `${page}.json usingComponents`).toEqual({});
    }
    expect(existsSync(join(dist, "app.js"))).toBe(true);
    if (app.sitemapLocation) expect(existsSync(join(dist, app.sitemapLocation))).toBe(true);
  });

  it("WeChat's official compilers accept every template (wcc) and style sheet (wcsc)", () => {
    // Each throws with the file and line of the first error; a template that wcc rejects would
    // not open in DevTools, whatever the simulate tests (which use a JavaScript compiler) say.
    const templates = officialCompiler.wxmlToJs(dist);
    for (const page of ["pages/login/login", "pages/conversations/conversations", "pages/chat/chat"]) {
      expect(templates).toContain(`${page}.wxml`);
    }
    expect(officialCompiler.wxssToJs(dist)).toContain("pages/chat/chat.wxss");
  });

  it("no script requires a path outside dist/, a package or a Node built-in", () => {
    const files = scripts();
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]*)\1\s*\)/g)) {
        const target = match[2] ?? "";
        const where = relative(dist, file);
        expect(target.startsWith("./") || target.startsWith("../"), `${where} requires "${target}"`).toBe(true);
        const resolved = resolve(dirname(file), target);
        expect(resolved.startsWith(dist + sep), `${where} requires "${target}" outside dist/`).toBe(true);
        expect(existsSync(resolved) || existsSync(`${resolved}.js`), `${where} requires missing "${target}"`).toBe(
          true,
        );
      }
      // A require with a computed argument cannot be checked, and the runtime rejects it anyway.
      expect(source, relative(dist, file)).not.toMatch(/\brequire\s*\(\s*[^"'`\s)]/);
    }
  });

  it("no script uses eval or new Function", () => {
    for (const file of scripts()) {
      const source = readFileSync(file, "utf8");
      const where = relative(dist, file);
      expect(source, where).not.toMatch(/\beval\s*\(/);
      expect(source, where).not.toMatch(/\bnew\s+Function\s*\(/);
      // Calling Function(...) without `new` compiles code just the same.
      expect(source, where).not.toMatch(/(^|[^.\w$])Function\s*\(/);
    }
  });

  it("scripts are CommonJS at ES2017: no import/export statements, no syntax newer than the runtime", () => {
    for (const file of scripts()) {
      const source = readFileSync(file, "utf8");
      const where = relative(dist, file);
      expect(source, where).not.toMatch(/^\s*(import|export)\s[^(]/m);
      expect(source, where).not.toMatch(/\?\?=?|\?\.[\w$[(]/); // ES2020 operators
      expect(source, where).not.toMatch(/(^|[\s;{}])#[A-Za-z_$][\w$]*\s*[=;(]/m); // private fields (ES2022)
    }
  });
});
