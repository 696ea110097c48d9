import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { activity } from "./activity";
import { type AsyncOption, failLater, later } from "./wx-async";

/**
 * The media side of the wx shim: temporary files (what WeChat's pickers and the recorder hand
 * out), the pickers (chooseMedia, chooseMessageFile) answered with what the test put in their
 * queues, a recorder and audio contexts that record what the app asked, and downloadFile from the
 * real server. Every call is recorded so that tests can assert it.
 */

/** A file in the phone's temporary storage. */
export interface TempFile {
  bytes: Uint8Array;
  /** The name WeChat knows it by (a chat file's real name; none for album and camera pictures). */
  name?: string;
}

/** What the next picker call answers: files, or the user cancelling. */
export type PickerAnswer = { files: string[] } | "cancel";

/** A clip the fake recorder "records" between start() and stop(). */
export interface Recording {
  bytes: Uint8Array;
  durationMs: number;
}

type Listener<T> = (value: T) => void;

// sharp is the server's dependency; the shim borrows it to read picture sizes as getImageInfo does.
type SharpMetadata = (input: Uint8Array) => {
  metadata(): Promise<{ format?: string; width?: number; height?: number; orientation?: number }>;
};
export const sharp = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../../../server/package.json"))(
  "sharp",
) as SharpMetadata;

/** EXIF orientation numbers as WeChat names them in getImageInfo. */
const ORIENTATIONS = [
  "up",
  "up",
  "up-mirrored",
  "down",
  "down-mirrored",
  "left-mirrored",
  "right",
  "right-mirrored",
  "left",
];

/** WeChat's RecorderManager (one per app), with what the app asked of it. */
export class FakeRecorder {
  readonly starts: Array<Record<string, unknown>> = [];
  stops = 0;
  /** What the next stop() hands to onStop (the test sets it before the finger lifts). */
  next: Recording | undefined;
  recording = false;
  private readonly onStopListeners: Array<Listener<{ tempFilePath: string; duration: number; fileSize: number }>> = [];
  private readonly onErrorListeners: Array<Listener<{ errMsg: string }>> = [];

  constructor(private readonly media: WxMedia) {}

  readonly api = {
    start: (options: Record<string, unknown>) => {
      this.starts.push(options);
      this.recording = true;
      activity.pulse();
      // Recording is a privacy API: without consent WeChat asks the app's popup first.
      this.media.privacy().then((answer) => {
        if (answer.event === "agree") return;
        this.recording = false;
        for (const listener of this.onErrorListeners)
          listener({ errMsg: "operateRecorder:fail privacy permission is not authorized" });
        activity.pulse();
      });
    },
    stop: () => {
      this.stops++;
      if (!this.recording) return;
      this.recording = false;
      const clip = this.next ?? { bytes: new Uint8Array(0), durationMs: 0 };
      this.next = undefined;
      const tempFilePath = this.media.addTempFile({ bytes: clip.bytes }, "aac");
      setImmediate(() => {
        for (const listener of this.onStopListeners)
          listener({ tempFilePath, duration: clip.durationMs, fileSize: clip.bytes.length });
        activity.pulse();
      });
    },
    pause: () => undefined,
    resume: () => undefined,
    onStart: () => undefined,
    onPause: () => undefined,
    onResume: () => undefined,
    onFrameRecorded: () => undefined,
    onInterruptionBegin: () => undefined,
    onInterruptionEnd: () => undefined,
    onStop: (listener: Listener<{ tempFilePath: string; duration: number; fileSize: number }>) => {
      this.onStopListeners.push(listener);
    },
    onError: (listener: Listener<{ errMsg: string }>) => {
      this.onErrorListeners.push(listener);
    },
  };

  /** WeChat stops a recording at its duration limit (the finger still down). */
  reachLimit(): void {
    this.api.stop();
  }
}

/** One InnerAudioContext the app created: its src and what it was told to do. */
export class FakeAudio {
  src = "";
  /** Every src it was told to play, in order. */
  readonly played: string[] = [];
  stopped = 0;
  destroyed = false;
  private readonly ended: Array<() => void> = [];

  readonly api = {
    play: () => {
      this.played.push(this.src);
      activity.pulse();
    },
    stop: () => {
      this.stopped++;
    },
    pause: () => undefined,
    destroy: () => {
      this.destroyed = true;
    },
    onEnded: (listener: () => void) => this.ended.push(listener),
    onError: () => undefined,
    onStop: () => undefined,
    onPlay: () => undefined,
    onCanplay: () => undefined,
  };

  constructor() {
    // The app sets and reads `src` as a property.
    Object.defineProperty(this.api, "src", {
      get: () => this.src,
      set: (value: string) => {
        this.src = value;
      },
      enumerable: true,
    });
  }

  /** The clip played to its end. */
  end(): void {
    for (const listener of this.ended) listener();
    activity.pulse();
  }
}

export class WxMedia {
  readonly files = new Map<string, TempFile>();
  /** Answers for chooseMedia and chooseMessageFile, in order. */
  readonly pickerAnswers: PickerAnswer[] = [];
  /** Every chooseMedia / chooseMessageFile / previewImage / openDocument / downloadFile call. */
  readonly calls: Array<{ api: string; option: Record<string, unknown> }> = [];
  readonly recorder = new FakeRecorder(this);
  readonly audios: FakeAudio[] = [];
  private counter = 0;

  /** WeChat's privacy check before a privacy API (WxShim.needPrivacy). */
  constructor(readonly privacy: () => Promise<{ event: string }>) {}

  /** Puts a file into temporary storage; returns its path as WeChat writes them. */
  addTempFile(file: TempFile, ext: string): string {
    const path = `http://tmp/${++this.counter}_${Math.random().toString(36).slice(2, 8)}.${ext}`;
    this.files.set(path, file);
    return path;
  }

  callsOf(api: string): Array<Record<string, unknown>> {
    return this.calls.filter((call) => call.api === api).map((call) => call.option);
  }

  private record(api: string, option: Record<string, unknown>): void {
    this.calls.push({ api, option });
  }

  /** Runs a picker once WeChat's privacy check passed; refused: the picker fails as WeChat's does. */
  private afterPrivacy(api: string, option: AsyncOption<never>, pick: () => void): void {
    this.privacy().then(
      (answer) => {
        if (answer.event === "agree") pick();
        else {
          failLater(option, `${api}:fail privacy permission is not authorized`);
          activity.pulse();
        }
      },
      (error: Error) => failLater(option, `${api}:fail ${error.message}`),
    );
  }

  private pickerAnswer(api: string, option: AsyncOption<never>): { files: string[] } | undefined {
    const answer = this.pickerAnswers.shift();
    if (answer === undefined || answer === "cancel") {
      failLater(option, `${api}:fail cancel`);
      activity.pulse();
      return undefined;
    }
    return answer;
  }

  /** The media APIs of the shim, spread into WxShim.api. */
  api(network: { isOnline(): boolean; rewrite(url: string): string }) {
    return {
      chooseMedia: (option: Record<string, unknown> & AsyncOption<unknown>) => {
        this.record("chooseMedia", option);
        this.afterPrivacy("chooseMedia", option, () => {
          const answer = this.pickerAnswer("chooseMedia", option);
          if (!answer) return;
          const tempFiles = answer.files.map((path) => ({
            tempFilePath: path,
            size: this.files.get(path)?.bytes.length ?? 0,
            fileType: "image",
          }));
          later(option, { tempFiles, type: "image", errMsg: "chooseMedia:ok" });
          activity.pulse();
        });
      },

      chooseMessageFile: (option: Record<string, unknown> & AsyncOption<unknown>) => {
        this.record("chooseMessageFile", option);
        this.afterPrivacy("chooseMessageFile", option, () => {
          const answer = this.pickerAnswer("chooseMessageFile", option);
          if (!answer) return;
          const tempFiles = answer.files.map((path) => {
            const file = this.files.get(path);
            return { path, name: file?.name ?? "file", size: file?.bytes.length ?? 0, type: "file", time: 0 };
          });
          later(option, { tempFiles, errMsg: "chooseMessageFile:ok" });
          activity.pulse();
        });
      },

      getRecorderManager: () => this.recorder.api,

      /** The user data directory (USER_DATA_PATH) and copies into it: the same map of files. */
      env: { USER_DATA_PATH: "http://usr" },
      getFileSystemManager: () => ({
        mkdirSync: () => undefined,
        copyFileSync: (from: string, to: string) => {
          const file = this.files.get(from);
          if (!file) throw new Error(`copyFileSync:fail no such file ${from}`);
          this.files.set(to, { ...file });
        },
        unlinkSync: (path: string) => {
          if (!this.files.delete(path)) throw new Error(`unlinkSync:fail no such file ${path}`);
        },
        /** Folders are implied by the paths of the files: removing one that still holds a file fails. */
        rmdirSync: (dir: string, recursive = false) => {
          const inside = [...this.files.keys()].filter((path) => path.startsWith(`${dir}/`));
          if (inside.length > 0 && !recursive) throw new Error(`rmdirSync:fail directory not empty ${dir}`);
          for (const path of inside) this.files.delete(path);
        },
      }),

      createInnerAudioContext: () => {
        const audio = new FakeAudio();
        this.audios.push(audio);
        return audio.api;
      },

      getImageInfo: (option: { src: string } & Record<string, unknown> & AsyncOption<unknown>) => {
        this.record("getImageInfo", option);
        const file = this.files.get(option.src);
        if (!file) {
          failLater(option, "getImageInfo:fail file not found");
          return;
        }
        sharp(file.bytes)
          .metadata()
          .then(
            (meta) => {
              later(option, {
                width: meta.width ?? 0,
                height: meta.height ?? 0,
                orientation: ORIENTATIONS[meta.orientation ?? 1] ?? "up",
                path: option.src,
                type: "jpeg",
              });
              activity.pulse();
            },
            () => failLater(option, "getImageInfo:fail not an image"),
          );
      },

      previewImage: (option: Record<string, unknown> & AsyncOption<unknown>) => {
        this.record("previewImage", option);
        later(option, { errMsg: "previewImage:ok" });
      },

      openDocument: (option: { filePath: string } & Record<string, unknown> & AsyncOption<unknown>) => {
        this.record("openDocument", option);
        if (this.files.has(option.filePath)) later(option, { errMsg: "openDocument:ok" });
        else failLater(option, "openDocument:fail file not found");
        activity.pulse();
      },

      /** GET from the real server into a new temporary file, as WeChat's downloader does. */
      downloadFile: (
        option: { url: string } & Record<string, unknown> & AsyncOption<{ tempFilePath: string; statusCode: number }>,
      ) => {
        this.record("downloadFile", option);
        if (!network.isOnline()) {
          failLater(option, "downloadFile:fail network is down");
          activity.pulse();
          return { abort() {}, onProgressUpdate() {} };
        }
        fetch(network.rewrite(option.url)).then(
          async (response) => {
            const bytes = new Uint8Array(await response.arrayBuffer());
            const ext = option.url.split("?")[0]?.split(".").at(-1) ?? "bin";
            const tempFilePath = this.addTempFile({ bytes }, ext.length <= 4 ? ext : "bin");
            later(option, { tempFilePath, statusCode: response.status });
            activity.pulse();
          },
          (error: Error) => {
            failLater(option, `downloadFile:fail ${error.message}`);
            activity.pulse();
          },
        );
        return { abort() {}, onProgressUpdate() {} };
      },
    };
  }
}
