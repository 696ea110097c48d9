/**
 * Sizes of pictures picked on this phone, by temporary path, so that a pending image bubble has the
 * picture's shape before the server answered with the stored size (chooseMedia gives sizes for
 * videos only; wx.getImageInfo reads them). Lost with the app process: then the bubble is square
 * until the upload ends, as after a restart.
 */
const sizes = new Map<string, { width: number; height: number }>();

/** EXIF orientations that turn the picture sideways: width and height swap once it is upright. */
const SIDEWAYS = new Set(["left", "left-mirrored", "right", "right-mirrored"]);

export function localImageSize(path: string): { width: number; height: number } | undefined {
  return sizes.get(path);
}

/** Reads the picture's size; `done` is called once it is known (not at all when it cannot be read). */
export function learnImageSize(path: string, done: () => void): void {
  wx.getImageInfo({
    src: path,
    success: (info) => {
      const sideways = SIDEWAYS.has(String(info.orientation));
      sizes.set(
        path,
        sideways ? { width: info.height, height: info.width } : { width: info.width, height: info.height },
      );
      done();
    },
    fail: () => undefined,
  });
}
