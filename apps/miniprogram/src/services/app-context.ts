import type { AppServices } from "./app-services";

/** The shape of the App instance (app.ts), as pages see it through getApp(). */
export interface AppInstanceData {
  services: AppServices;
}

/**
 * The app's services, for pages. Pages import only this (and types): the client, the protocol and
 * valibot are bundled into app.js once, not into every page.
 */
export function appServices(): AppServices {
  return getApp<AppInstanceData>().services;
}
