// Independent reference ids for our C# ClipTokenizer, produced by Hugging Face's pure-JS tokenizer
// (npm @huggingface/tokenizers) reading CLIP's tokenizer.json. Run outside the repository:
//   mkdir /tmp/tokref && cd /tmp/tokref && npm init -y && npm install @huggingface/tokenizers
//   node <repo>/tests/fixtures-src/tokenizer/make_expected_ids.mjs <dir with tokenizer.json> <out.json>
// The output lists each text with the ids (start/end-of-text included, no truncation or padding).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [, , tokenizerDir, outPath] = process.argv;
const require = createRequire(path.join(process.cwd(), "package.json"));
const { Tokenizer } = require("@huggingface/tokenizers");
const tokenizerJson = JSON.parse(readFileSync(path.join(tokenizerDir, "tokenizer.json"), "utf8"));
const tokenizerConfig = JSON.parse(readFileSync(path.join(tokenizerDir, "tokenizer_config.json"), "utf8"));
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);

const long = "a photo of a very large and extremely colourful bird sitting on a branch ".repeat(12);
const texts = [
  "a photo of a cat",
  "A Photo Of A CAT",
  "",
  " ",
  "hello world",
  "Hello, World!",
  "it's what they've said, isn't it? we'll see; I'm sure you'd agree",
  "IT'S LOUD",
  "don't",
  "rock'n'roll",
  "...!!!???",
  "a-b_c/d\\e|f",
  "(parentheses) [brackets] {braces} <angles>",
  "email@example.com https://openai.com/clip?x=1&y=2",
  "#hashtag @mention $100 50% 3.14159",
  "1234567890",
  "the year 2024 and 1,000,000 people",
  "½ ² ③ Ⅻ ٣",
  "café naïve résumé coöperate",
  "Crème Brûlée à la carte",
  "e\u0301 composed vs é precomposed",
  "Ångström Øresund straße",
  "ÀÉÎÕÜ",
  "日本語のテキスト",
  "中文字符测试",
  "한국어 텍스트",
  "مرحبا بالعالم",
  "Привет, мир!",
  "नमस्ते दुनिया",
  "Γειά σου κόσμε",
  "שלום עולם",
  "ไทย ภาษา",
  "😀 a smiling face 😀😀",
  "🐶🐱🐭",
  "👨‍👩‍👧‍👦 family",
  "🇫🇷 flag",
  "tab\tseparated\ttext",
  "new\nline\r\ntext",
  "many     spaces    between",
  "   leading and trailing   ",
  "non\u00a0breaking space",
  "fish &amp; chips",
  "&lt;b&gt;bold&lt;/b&gt;",
  "caf&eacute; &#233; &#x00e9;",
  "<b>html tags</b>",
  "a\u200bzero width",
  "under_score CamelCase snake_case_name",
  "x²+y²=z²",
  "ℌ𝔢𝔩𝔩𝔬 math letters",
  "ﬁ ligature",
  "supercalifragilisticexpialidocious",
  "pneumonoultramicroscopicsilicovolcanoconiosis",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "a photo of a <|endoftext|> cat",
  "<|startoftext|>hello<|endoftext|>",
  "'s 't 're 've 'm 'll 'd",
  "a photo of a small red star on water",
  "a photo of a large blue triangle on stripes with the word duck",
  "©®™ symbols • bullets — dashes … ellipsis",
  "\"double quotes\" 'single quotes' “curly” ‘quotes’",
  long,
  "word ".repeat(100),
];

const results = texts.map((text) => ({ text, ids: Array.from(tokenizer.encode(text).ids, Number) }));
writeFileSync(outPath, JSON.stringify({
  reference: "@huggingface/tokenizers " + JSON.parse(readFileSync(path.join(path.dirname(require.resolve("@huggingface/tokenizers")), "..", "package.json"), "utf8")).version + " on openai/clip-vit-base-patch32 tokenizer.json",
  cases: results,
}, null, 1) + "\n");
console.log(`wrote ${results.length} cases to ${outPath}`);
