/** wx's dialogs as promises (callback style: the base libraries we support all have it). */

/** A yes/no question; resolves true on confirm. */
export function confirmDialog(title: string, content: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      success: (result) => resolve(result.confirm),
      fail: () => resolve(false),
    });
  });
}

/** A text to edit (wx.showModal's `editable`, base library 2.17.1+); undefined when cancelled. */
export function editDialog(title: string, value: string, placeholder = ""): Promise<string | undefined> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content: value,
      editable: true,
      placeholderText: placeholder,
      success: (result) => resolve(result.confirm ? (result.content ?? "") : undefined),
      fail: () => resolve(undefined),
    });
  });
}

/** A choice from a bottom sheet; the index tapped, or undefined when cancelled. */
export function chooseAction(items: string[]): Promise<number | undefined> {
  return new Promise((resolve) => {
    wx.showActionSheet({
      itemList: items,
      success: (result) => resolve(result.tapIndex),
      fail: () => resolve(undefined),
    });
  });
}
