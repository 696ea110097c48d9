// madge ships no types: the part of its API the import-cycle test uses.
declare module "madge" {
  interface MadgeResult {
    /** Every file (relative to the base directory) and the files it imports. */
    obj(): Record<string, string[]>;
    /** Each import cycle between files, as the files along it. */
    circular(): string[][];
  }
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: { ts?: { skipTypeImports?: boolean }; tsx?: { skipTypeImports?: boolean } };
  }
  export default function madge(path: string, config?: MadgeConfig): Promise<MadgeResult>;
}
