/** The bundled sample Maildir (one week at Carole's Garden Design): `pnpm demo`, the tests and the benches read it. */
import { fileURLToPath } from 'node:url';

/** Absolute path of sample/Maildir. */
export const SAMPLE_MAILDIR: string = fileURLToPath(new URL('../sample/Maildir', import.meta.url));
