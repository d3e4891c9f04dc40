/**
 * Finds the env file: `--env-file PATH`, else `$REPOS_ENV`, else `repos.env` at the
 * workspace root. The first place that is set is the one used: an explicit file that
 * does not exist is an error, never a silent fall back to another file.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CredentialsError } from '../errors.ts';

/** Where the env file was found and how. */
export interface Located {
  file: string;
  source: '--env-file' | '$REPOS_ENV' | 'workspace root';
}

/** Inputs of locateEnvFile. */
export interface LocateInput {
  envFile?: string | undefined;
  reposEnvVar?: string | undefined;
  workspaceRoot: string;
  cwd: string;
}

/** Resolves and checks the env file's path; throws ENOFILE (naming all three places) or EREAD. */
export async function locateEnvFile(input: LocateInput): Promise<Located> {
  const root = resolve(input.cwd, input.workspaceRoot);
  const rootFile = join(root, 'repos.env');
  const given = (v: string | undefined): v is string => typeof v === 'string' && v.trim() !== '';
  let chosen: Located;
  if (given(input.envFile)) chosen = { file: resolve(input.cwd, input.envFile), source: '--env-file' };
  else if (given(input.reposEnvVar)) chosen = { file: resolve(input.cwd, input.reposEnvVar), source: '$REPOS_ENV' };
  else chosen = { file: rootFile, source: 'workspace root' };

  const lookedAt = [
    given(input.envFile) ? `--env-file ${chosen.source === '--env-file' ? chosen.file : input.envFile}` : '--env-file (not given)',
    given(input.reposEnvVar) ? `$REPOS_ENV ${resolve(input.cwd, input.reposEnvVar)}` : '$REPOS_ENV (not set)',
    `${rootFile} (workspace root)`,
  ];
  let isFile: boolean;
  try {
    isFile = (await stat(chosen.file)).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new CredentialsError('EREAD', `Cannot read the env file ${chosen.file}: ${code ?? String(err)}`, {
        file: chosen.file,
        cause: err,
      });
    }
    const fix =
      chosen.source === 'workspace root'
        ? `Create ${rootFile} from repos.env.example and run chmod 600 on it, or pass --env-file PATH or set REPOS_ENV.`
        : `The file named by ${chosen.source} does not exist: fix the path, or unset it to use ${rootFile}.`;
    throw new CredentialsError(
      'ENOFILE',
      `No env file at ${chosen.file}. Looked at, in order: ${lookedAt.join('; ')}. ${fix}`,
      { file: chosen.file, lookedAt, cause: err },
    );
  }
  if (!isFile) {
    throw new CredentialsError('EREAD', `The env file ${chosen.file} is not a regular file.`, { file: chosen.file });
  }
  return chosen;
}
