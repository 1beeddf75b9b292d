/**
 * report.html: one self-contained page. vega, vega-lite and vega-embed are inlined from
 * node_modules (no CDN: it opens offline); the specs travel as one JSON block. When every
 * chart has rendered, <body data-done> is set and window.__effscale holds counts and errors.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {Chart} from './chart.js'

export interface EmbedScripts {
  vega: string
  vegaLite: string
  vegaEmbed: string
}

const require = createRequire(import.meta.url)

/** The UMD builds beside each package's entry point. */
export function readEmbedScripts(): EmbedScripts {
  const umd = (pkg: string, file: string) => readFileSync(path.join(path.dirname(require.resolve(pkg)), file), 'utf8')
  return {
    vega: umd('vega', 'vega.min.js'),
    vegaLite: umd('vega-lite', 'vega-lite.min.js'),
    vegaEmbed: umd('vega-embed', 'vega-embed.min.js'),
  }
}

export interface HtmlInput {
  charts: Pick<Chart, 'id' | 'title' | 'spec'>[]
  /** Lines shown under the heading (convention, inputs, notes). */
  notes: string[]
  scripts: EmbedScripts
}

export function reportHtml({charts, notes, scripts}: HtmlInput): string {
  const specs = Object.fromEntries(charts.map((c) => [c.id, c.spec]))
  const sections = charts
    .map(
      (c) => `<section class="chart" id="chart-${c.id}">
<h2>${esc(c.title)}</h2>
<div class="vis" id="vis-${c.id}"></div>
<p class="files"><a href="${c.id}.vl.json">${c.id}.vl.json</a> · <a href="${c.id}.svg">svg</a> · <a href="${c.id}.png">png</a></p>
</section>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>effscale report</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 15px; margin: 0 0 8px; color: #444; }
header p, header li { font-size: 13px; color: #555; margin: 2px 0; }
.chart { margin: 28px 0; padding-top: 12px; border-top: 1px solid #ddd; overflow-x: auto; }
.files { font-size: 12px; color: #777; } .files a { color: #4c78a8; }
</style>
${inline(scripts.vega)}
${inline(scripts.vegaLite)}
${inline(scripts.vegaEmbed)}
</head>
<body>
<header>
<h1>effscale report</h1>
<ul>
${notes.map((n) => `<li>${esc(n)}</li>`).join('\n')}
</ul>
<p>Every plotted row is in <a href="data.csv">data.csv</a>.</p>
</header>
${sections}
<script type="application/json" id="effscale-specs">${jsonForScript(specs)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('effscale-specs').textContent);
  var state = (window.__effscale = {total: Object.keys(specs).length, rendered: 0, errors: []});
  Promise.all(Object.keys(specs).map(function (id) {
    var el = document.getElementById('vis-' + id);
    return vegaEmbed(el, specs[id], {actions: false, renderer: 'svg'}).then(function () {
      el.setAttribute('data-rendered', 'true');
      state.rendered++;
    }).catch(function (e) {
      state.errors.push(id + ': ' + e.message);
      console.error('effscale chart ' + id + ': ' + e.message);
    });
  })).then(function () { document.body.setAttribute('data-done', 'true'); });
})();
</script>
</body>
</html>
`
}

/** A library inlined as a classic script; "</script" cannot occur inside it. */
function inline(code: string): string {
  return `<script>${code.replace(/<\/script/gi, '<\\/script')}</script>`
}

/** JSON that is safe inside <script>: no "<" survives literally. */
function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
