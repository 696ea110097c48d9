/**
 * The input bar's state, as WeChat's chat has it: text or hold-to-talk (the voice/keyboard toggle),
 * and at most one panel under it (emoji or "+"). Pure: each function answers the data to set.
 */
export type ComposerPanel = "" | "emoji" | "plus";

export interface ComposerState {
  /** Hold-to-talk instead of the text field. */
  voiceMode: boolean;
  panel: ComposerPanel;
  /** The text field has the focus (the keyboard is up). */
  focus: boolean;
}

export const initialComposer: ComposerState = { voiceMode: false, panel: "", focus: false };

/** The voice/keyboard button: to voice closes panels and the keyboard; back to text focuses the field. */
export function toggleVoice(state: ComposerState): ComposerState {
  return state.voiceMode ? { voiceMode: false, panel: "", focus: true } : { voiceMode: true, panel: "", focus: false };
}

/** The emoji or "+" button: opens that panel (leaving voice mode, lowering the keyboard), or closes it. */
export function togglePanel(state: ComposerState, panel: Exclude<ComposerPanel, "">): ComposerState {
  if (state.panel === panel) return { voiceMode: false, panel: "", focus: true };
  return { voiceMode: false, panel, focus: false };
}

/** A tap on the messages or a focus on the field closes the panels. */
export function closePanels(state: ComposerState, focus = false): ComposerState {
  return { voiceMode: state.voiceMode, panel: "", focus };
}
