// Loads the LLM prompt templates from prompts/ and fills their {placeholders}.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A slot of a prompt template, e.g. `{question}` (the name is captured). */
const TEMPLATE_SLOT_RE = /\{([a-z_]+)\}/g;

/** The project's prompts folder (templates are read on each call, so edits apply without a restart). */
export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** Placeholders the answer template must contain; `{history}` is optional. */
const REQUIRED_PLACEHOLDERS = ['sources', 'question'] as const;

export interface PromptSet {
  /** System message text. */
  system: string;
  /** User message template with {sources}, {question} and optionally {history}. */
  answer: string;
}

/**
 * Reads `system.<lang>.md` and `answer.<lang>.md`; fails naming the file when one is missing or
 * the answer template lacks a required placeholder.
 * @example const p = await loadPrompts('vi'); renderTemplate(p.answer, { sources, question, history })
 */
export async function loadPrompts(language: 'vi' | 'en', dir: string = PROMPTS_DIR): Promise<PromptSet> {
  const read = async (name: string): Promise<string> => {
    const file = path.join(dir, name);
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (e) {
      throw new Error(`prompts: cannot read ${name} in ${dir}`, { cause: e });
    }
  };
  const [system, answer] = await Promise.all([read(`system.${language}.md`), read(`answer.${language}.md`)]);
  for (const p of REQUIRED_PLACEHOLDERS) {
    if (!answer.includes(`{${p}}`)) throw new Error(`prompts: answer.${language}.md lacks the {${p}} placeholder`);
  }
  return { system, answer };
}

/**
 * Replaces `{name}` for the given names in one pass, so braces inside the inserted values (source
 * text, questions) are never expanded; unknown `{…}` stay as written.
 * @example renderTemplate('Q: {question}', { question: 'a {sources} b' }) === 'Q: a {sources} b'
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(TEMPLATE_SLOT_RE, (all, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : all));
}
