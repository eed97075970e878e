export { renderJson } from './json.js';
export { MARKDOWN_MAX_CHARS, MARKDOWN_MAX_ITEMS, type MarkdownOptions, renderMarkdown } from './markdown.js';
export { briefSummary, summarize } from './summary.js';
export { renderText, TEXT_MAX_ITEMS, type TextOptions } from './text.js';
