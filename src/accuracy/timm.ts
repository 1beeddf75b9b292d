/**
 * timm's model names: "tf_efficientnet_b3.ns_jft_in1k" is the architecture tf_efficientnet_b3
 * trained with the recipe (pretrained tag) ns_jft_in1k. Architectures of one family differ in
 * size only: efficientnet_b0…b7, resnet18…152, vit_small/base/large_patch16_224. The family is
 * the architecture with its size tokens removed; the rule is a heuristic over timm's naming and
 * is shown beside every group so a wrong merge can be seen.
 */

export interface TimmName {
  /** As written (trimmed). */
  name: string
  /** Before the first ".": what timm's benchmark files name. */
  arch: string
  /** After the first "." (timm's pretrained tag), or null for an untagged name. */
  recipe: string | null
  /** arch without its size tokens: "tf_efficientnet", "resnet", "vit", "convnext_*_ols". */
  family: string
}

/** Size words and size codes (b3, s18, xxs24, 224, 100, patch16, p8, w18). */
const SIZE_WORDS = new Set([
  'atto', 'femto', 'pico', 'nano', 'micro', 'mini', 'tiny', 'small', 'medium', 'base', 'large', 'huge', 'giant', 'gigantic',
  'xsmall', 'xxsmall', 'xlarge', 'xxlarge', 'xs', 'xxs', 's', 'm', 'l', 't', 'b', 'h', 'g', 'xl',
])
const SIZE_CODE = /^(?:\d+[a-z]?|patch\d+|(?!v\d)[a-z]{1,3}\d+[a-z]?)$/

/** "resnet50" → "resnet", "resnet50d" → "resnet*d", "mobilenetv3" and "eva02" stay (versions, not sizes). */
function stripTrailingSize(token: string): string {
  const m = /^([a-z]+?)([1-9]\d+)([a-z]*)$/.exec(token)
  if (!m || m[1].endsWith('v')) return token
  return m[3] ? `${m[1]}*${m[3]}` : m[1]
}

export function parseTimmName(raw: string): TimmName {
  const name = raw.trim()
  const dot = name.indexOf('.')
  const arch = (dot < 0 ? name : name.slice(0, dot)).toLowerCase()
  const recipe = dot < 0 ? null : name.slice(dot + 1) || null
  const kept: string[] = []
  let skipped = false
  for (const [i, token] of arch.split('_').entries()) {
    const isSize = i > 0 && (SIZE_WORDS.has(token) || SIZE_CODE.test(token))
    if (isSize) {
      skipped = true
      continue
    }
    if (skipped && kept.length) kept.push('*')
    skipped = false
    kept.push(stripTrailingSize(token))
  }
  return {name, arch, recipe, family: kept.join('_')}
}

/** "tf_efficientnet · ns_jft_in1k", or the family alone for untagged names. */
export const familyGroup = (n: Pick<TimmName, 'family' | 'recipe'>): string => (n.recipe ? `${n.family} · ${n.recipe}` : n.family)
