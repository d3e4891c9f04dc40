/**
 * A project's folder: the CLI's working directory and its `instructions.md`, sent once per
 * session on the subscription path and as the system prompt on the API path.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The project folder (created 0700 when missing) and its instructions ('' when none). */
export async function loadProject(projectsDir: string, project: string): Promise<{ dir: string; instructions: string }> {
  const dir = join(projectsDir, project);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let instructions = '';
  try {
    instructions = (await readFile(join(dir, 'instructions.md'), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { dir, instructions };
}

/** The first prompt of a session: instructions, then the task. */
export function withInstructions(instructions: string, prompt: string): string {
  return instructions === '' ? prompt : `${instructions}\n\n---\n\n${prompt}`;
}
