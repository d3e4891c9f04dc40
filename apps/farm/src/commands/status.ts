export async function statusCommand(): Promise<number> { return 0; }
