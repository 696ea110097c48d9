import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import simulate from "miniprogram-simulate";
import type { WxShim } from "./wx-shim";

const nodeRequire = createRequire(import.meta.url);
export const distDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist");

/** The app instance as app.ts defines it (only what tests touch). */
export interface AppInstance {
  services: {
    chat: { user: { id: string }; client: { state: string; discard(clientMsgId: string): boolean } } | null;
  };
  onLaunch(options: Record<string, unknown>): void;
  onShow(options: Record<string, unknown>): void;
  onHide(): void;
}

type PageName = "login" | "conversations" | "chat" | "profile" | "invite" | "group";

// The DOM-side component object of miniprogram-simulate (j-component); render() returns a root one.
type RenderedComponent = ReturnType<typeof simulate.render> & { attach(parent: Node): void; detach(): void };

const globals = globalThis as unknown as {
  wx: unknown;
  App: (options: AppInstance) => void;
  getApp: () => AppInstance;
};

const LAUNCH = { path: "pages/conversations/conversations", query: {}, scene: 1001 };

/**
 * One mini program, built (dist/) and run in this process: its own `wx` (the shim) and its own App
 * instance. Several can run side by side; before anything of an app runs (a lifecycle hook, a
 * page method), it is made current: the globals `wx` and `getApp` point at it.
 */
export class SimulatedApp {
  private readonly pages = new Set<SimulatedPage>();
  private constructor(
    readonly name: string,
    readonly wx: WxShim,
    readonly instance: AppInstance,
  ) {}

  /** Loads dist/app.js afresh (as a cold start), runs onLaunch and onShow. */
  static launch(name: string, wx: WxShim): SimulatedApp {
    wx.newProcess();
    globals.wx = wx.api;
    let registered: AppInstance | undefined;
    globals.App = (options) => {
      registered = options;
    };
    const appJs = join(distDir, "app.js");
    delete nodeRequire.cache[nodeRequire.resolve(appJs)];
    nodeRequire(appJs);
    if (!registered) throw new Error("dist/app.js did not call App()");
    const app = new SimulatedApp(name, wx, registered);
    app.run(() => {
      registered?.onLaunch(LAUNCH);
      registered?.onShow(LAUNCH);
    });
    return app;
  }

  /** Runs `action` with this app's globals installed. */
  run<T>(action: () => T): T {
    globals.wx = this.wx.api;
    globals.getApp = () => this.instance;
    return action();
  }

  /**
   * Opens a page the way WeChat does: load, render, attach, onLoad(query), onShow. Templates are
   * compiled by WeChat's own wcc (miniprogram-compiler), as DevTools would compile them.
   */
  open(page: PageName, query: Record<string, string> = {}): SimulatedPage {
    return this.run(() => {
      const id = simulate.load(join(distDir, "pages", page, page), { compiler: "official", rootPath: distDir });
      const component = simulate.render(id) as RenderedComponent;
      component.attach(document.createElement("parent-wrapper"));
      const opened = new SimulatedPage(this, component);
      this.pages.add(opened);
      opened.hook("onLoad", query);
      opened.hook("onShow");
      return opened;
    });
  }

  /** The app goes to the background: pages' onHide, then App.onHide (which suspends the client). */
  hide(): void {
    this.run(() => {
      for (const page of this.pages) page.hook("onHide");
      this.instance.onHide();
    });
  }

  /** Back to the foreground: App.onShow (resume), then the pages' onShow. */
  show(): void {
    this.run(() => {
      this.instance.onShow(LAUNCH);
      for (const page of this.pages) page.hook("onShow");
    });
  }

  close(page: SimulatedPage): void {
    page.hook("onUnload");
    page.component.detach();
    this.pages.delete(page);
  }

  /** Closes every page and the client (end of a test). */
  shutdown(): void {
    for (const page of [...this.pages]) this.close(page);
    this.run(() => (this.instance.services.chat?.client as { close?: () => void } | undefined)?.close?.());
  }
}

/** A rendered page of a SimulatedApp. */
export class SimulatedPage {
  constructor(
    readonly app: SimulatedApp,
    readonly component: RenderedComponent,
  ) {}

  /** The page's data, as its template sees it. */
  get data(): Record<string, unknown> {
    return this.component.data as Record<string, unknown>;
  }

  /** Calls a page method (a hook or an event handler) as WeChat would, with this app current. */
  call(method: string, ...args: unknown[]): unknown {
    return this.app.run(() => {
      const fn = (this.component.instance as unknown as Record<string, unknown>)[method];
      if (typeof fn !== "function") throw new Error(`page has no method ${method}`);
      return fn.apply(this.component.instance, args);
    });
  }

  /** Calls a lifecycle hook when the page defines it (WeChat skips the ones a page leaves out). */
  hook(name: string, ...args: unknown[]): void {
    const fn = (this.component.instance as unknown as Record<string, unknown>)[name];
    if (typeof fn === "function") this.call(name, ...args);
  }

  /**
   * Rendered elements with a class, as written in the wxml. miniprogram-simulate renders class
   * names with the component's prefix ("main--"), which this adds.
   */
  byClass(className: string): Element[] {
    return Array.from(this.component.dom?.querySelectorAll(`.main--${className}`) ?? []);
  }
}
