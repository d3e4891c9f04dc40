/**
 * Which folders a job uses for Sent, Drafts and Junk: the one the server marks with the
 * SPECIAL-USE attribute (RFC 6154; Gmail's localized `[Gmail]/Gesendet` is found this way),
 * else the first of the preset's names that exists (`[Gmail]/Sent Mail`, `Sent Items`,
 * `Junk Email`), compared without case.
 */
import type { ProviderPreset } from './presets.ts';

/** A LIST entry as imapflow gives it. */
export interface ListedFolder {
  readonly path: string;
  readonly specialUse?: string | undefined;
  /**
   * imapflow's word on where `specialUse` came from: `extension` (the server's flag) is
   * trusted; `name` is imapflow guessing from the name (a plain `Sent` next to Microsoft's
   * `Sent Items` would win), so it is ignored and the preset's names decide.
   */
  readonly specialUseSource?: string | undefined;
}

/** One resolved folder and how it was found. */
export interface ResolvedFolder {
  readonly path: string;
  readonly via: 'special-use' | 'name';
}

/** Sent, Drafts and Junk, each null when the server has none. */
export interface ResolvedFolders {
  readonly sent: ResolvedFolder | null;
  readonly drafts: ResolvedFolder | null;
  readonly junk: ResolvedFolder | null;
}

const FLAGS = { sent: '\\Sent', drafts: '\\Drafts', junk: '\\Junk' } as const;

/** Resolves the three folders from a LIST answer and the preset's fallbacks. */
export function resolveFolders(list: readonly ListedFolder[], preset: Pick<ProviderPreset, 'folders'>): ResolvedFolders {
  const pick = (role: keyof typeof FLAGS): ResolvedFolder | null => {
    const flagged = list.find((f) => f.specialUse === FLAGS[role] && (f.specialUseSource ?? 'extension') === 'extension');
    if (flagged !== undefined) return { path: flagged.path, via: 'special-use' };
    for (const name of preset.folders[role]) {
      const hit = list.find((f) => f.path.toLowerCase() === name.toLowerCase());
      if (hit !== undefined) return { path: hit.path, via: 'name' };
    }
    return null;
  };
  return { sent: pick('sent'), drafts: pick('drafts'), junk: pick('junk') };
}
