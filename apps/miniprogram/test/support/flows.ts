import { expect } from "vitest";
import { PLACEHOLDER_NAME } from "../../src/services/landing";
import { waitUntil } from "./activity";
import { SimulatedApp, type SimulatedPage } from "./simulated-app";
import { WxShim } from "./wx-shim";

/** A chat bubble as the chat page's data holds it (only what tests read). */
export interface Bubble {
  text: string;
  mine: boolean;
  status: "sent" | "pending" | "failed";
  seq: number;
  readLabel: string;
  domId: string;
  clientMsgId: string;
}

/** A conversation list row as the list page's data holds it. */
export interface Row {
  id: string;
  title: string;
  preview: string;
  unread: number;
  unreadText: string;
}

export const bubbles = (chat: SimulatedPage) => chat.data.items as Bubble[];
export const rows = (list: SimulatedPage) => list.data.items as Row[];
export const texts = (chat: SimulatedPage) => bubbles(chat).map((bubble) => bubble.text);

/** A tap or input event as WeChat hands it to a handler. */
export const tapOn = (dataset: Record<string, string>) => ({ currentTarget: { dataset }, target: { dataset } });
export const inputOf = (value: string) => ({ detail: { value } });

/**
 * Launches an app on a fresh phone (empty storage) and logs in with the dev login, picking `name`
 * (the user id) and typing `displayName` as the nickname when given.
 */
export async function launchAndDevLogin(serverUrl: string, name: string, displayName?: string): Promise<SimulatedApp> {
  const app = SimulatedApp.launch(name, new WxShim({ serverUrl }));
  const login = app.open("login");
  await waitUntil(`${name}: dev login offered`, () => login.data.devAvailable === true);
  login.call("onPickName", tapOn({ name }));
  if (displayName !== undefined) login.call("onNameInput", inputOf(displayName));
  await login.call("onDevLogin");
  expect(login.data.error).toBe("");
  expect(login.data.loggedInAs).toBe(name);
  // The server's placeholder name is no name: the app asks for one first.
  const landing =
    displayName === PLACEHOLDER_NAME ? "/pages/profile/profile?setup=1" : "/pages/conversations/conversations";
  expect(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe(landing);
  app.close(login);
  return app;
}

/** Opens the conversation list and waits until the client is online. */
export async function openList(app: SimulatedApp): Promise<SimulatedPage> {
  const list = app.open("conversations");
  await waitUntil(`${app.name}: online`, () => list.data.banner === "");
  return list;
}

/** The conversation id in the last navigateTo to the chat page. */
export function lastChatNavigation(app: SimulatedApp): string {
  const url = String(app.wx.uiCallsOf("navigateTo").at(-1)?.option.url ?? "");
  const match = /^\/pages\/chat\/chat\?id=(.+)$/.exec(url);
  if (!match?.[1]) throw new Error(`no navigation to a chat: ${url}`);
  return match[1];
}

/** Types a text and taps send. */
export function typeAndSend(chat: SimulatedPage, text: string): void {
  chat.call("onInput", inputOf(text));
  chat.call("onSend");
}

/** Waits until the chat shows `text` as a stored bubble; returns it. */
export function waitForBubble(chat: SimulatedPage, text: string): Promise<Bubble> {
  return waitUntil(`${chat.app.name} shows "${text}" as sent`, () =>
    bubbles(chat).find((bubble) => bubble.text === text && bubble.status === "sent"),
  );
}
