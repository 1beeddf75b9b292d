import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {test} from 'node:test'
import {parseAccuracyCsv} from '../../src/accuracy/csv.js'
import {UserError} from '../../src/errors.js'
import {POINTS_CSV} from './helpers.js'

const TIMM = '/work/shared/data/results-imagenet.csv'

test('points CSV: base + multipliers, resolution or image_size; unknown base reported with a hint', () => {
  const d = parseAccuracyCsv(readFileSync(POINTS_CSV, 'utf8'), 'points.csv')
  assert.equal(d.format, 'points')
  assert.equal(d.rows.length, 4)
  assert.deepEqual(
    {base: d.rows[1].base, depth: d.rows[1].depth, width: d.rows[1].width, resolution: d.rows[1].resolution, top1: d.rows[1].top1},
    {base: 'efficientnet-b0', depth: 1.4, width: 1.2, resolution: 1.3, top1: 81.1},
  )
  assert.equal(d.rows[0].imageSize, 224)
  assert.equal(d.unknown.length, 1)
  assert.equal(d.unknown[0].line, 6)
  assert.match(d.unknown[0].reason, /unknown base "efficientnet-b9".*did you mean "efficientnet-b0"/)
})

test('points CSV: a model name alone maps to the known variant', () => {
  const d = parseAccuracyCsv('model,top1\nefficientnet-b3,81.6\nresnet50,76.1\nvit_base,81\n', 'x.csv')
  assert.deepEqual(d.rows.map((r) => [r.base, r.depth, r.width, r.imageSize]), [
    ['efficientnet-b0', 1.4, 1.2, 300],
    ['resnet-50', 1, 1, 224],
  ])
  assert.deepEqual(d.unknown.map((u) => u.name), ['vit_base'])
})

test('a points CSV that spells image_size "img_size" keeps its base and multipliers', () => {
  const d = parseAccuracyCsv('model,base,depth,width,img_size,top1\nmine,efficientnet-b0,1.4,1.2,291,81.1\n', 'x.csv')
  assert.equal(d.format, 'points')
  assert.deepEqual(d.rows.map((r) => [r.name, r.base, r.depth, r.width, r.imageSize]), [['mine', 'efficientnet-b0', 1.4, 1.2, 291]])
})

test('timm CSV: names mapped, evaluated image size and param_count kept, the rest reported', () => {
  const csv = [
    'model,img_size,top1,top1_err,top5,top5_err,param_count,crop_pct,interpolation',
    'tf_efficientnet_b3.ns_jft_in1k,300,84.054,15.946,96.926,3.074,12.23,0.904,bicubic',
    'efficientnet_b0.ra_in1k,224,77.694,22.306,93.532,6.468,5.29,0.875,bicubic',
    'mobilenetv2_140.ra_in1k,224,76.524,23.476,93.000,7.0,6.11,0.875,bicubic',
    'efficientnet_lite0.ra_in1k,224,75.5,24.5,92.5,7.5,4.65,0.875,bicubic',
    'vit_base_patch16_224.augreg_in21k_ft_in1k,224,81.1,18.9,96.1,3.9,86.57,0.9,bicubic',
  ].join('\n')
  const d = parseAccuracyCsv(csv, 'timm.csv')
  assert.equal(d.format, 'timm')
  assert.deepEqual(d.rows.map((r) => [r.name, r.base, r.width, r.depth, r.imageSize, r.paramsReported]), [
    ['tf_efficientnet_b3.ns_jft_in1k', 'efficientnet-b0', 1.2, 1.4, 300, 12.23e6],
    ['efficientnet_b0.ra_in1k', 'efficientnet-b0', 1, 1, 224, 5.29e6],
    ['mobilenetv2_140.ra_in1k', 'mobilenet-v2', 1.4, 1, 224, 6.11e6],
  ])
  // Lite and ViT models are not B-family points: reported, not dropped or mis-mapped.
  assert.deepEqual(d.unknown.map((u) => [u.line, u.name]), [
    [5, 'efficientnet_lite0.ra_in1k'],
    [6, 'vit_base_patch16_224.augreg_in21k_ft_in1k'],
  ])
})

test('bad CSVs: one-line UserErrors naming the file, line and column', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseAccuracyCsv(text, 'a.csv'), (e: Error) => e instanceof UserError && re.test(e.message) && !e.message.includes('\n'))
  bad('name,acc\nx,1\n', /^a\.csv: missing columns base or model, top1 /)
  bad('base,depth\nefficientnet-b0,1\n', /^a\.csv: missing column top1 /)
  bad('base,top1\nefficientnet-b0,high\n', /^a\.csv line 2: top1 "high" is not a number$/)
  bad('base,top1\nefficientnet-b0,\n', /line 2: top1 is empty/)
  bad('base,top1\nefficientnet-b0,177\n', /top1 177 is not a percentage/)
  bad('base,depth,top1\nefficientnet-b0,-1,70\n', /line 2: depth must be > 0/)
  bad('base,resolution,image_size,top1\nefficientnet-b0,1.2,300,70\n', /resolution or image_size, not both/)
  bad('model,width,top1\nefficientnet-b3,2,80\n', /fixed point; to scale it give base efficientnet-b0/)
  bad('', /a\.csv: file is empty/)
  bad('base,top1\n', /no data rows/)
})

test('the real timm results file: every row either placed or reported', {skip: !existsSync(TIMM) && 'shared data not present'}, () => {
  const d = parseAccuracyCsv(readFileSync(TIMM, 'utf8'), TIMM)
  const lines = readFileSync(TIMM, 'utf8').trim().split('\n').length - 1
  assert.equal(d.rows.length + d.unknown.length, lines)
  assert.ok(d.rows.length > 40, `${d.rows.length} rows placed`)
  assert.ok(d.rows.some((r) => r.name.startsWith('tf_efficientnet_b7')))
  assert.ok(d.rows.every((r) => !/lite|v2|_es|_em|_el|_cc_|_gn|pruned/.test(r.name.split('.')[0].replace('mobilenetv2', ''))))
})
