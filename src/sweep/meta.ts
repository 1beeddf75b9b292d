/** run.json: what ran, where, with what. */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {PACKAGE_ROOT} from '../paths.js'
import type {Ep, EpChoice} from './session.js'

export interface RunMeta {
  effscale_version: string
  ort_version: string
  node_version: string
  ep: Ep
  ep_requested: EpChoice
  /** Why auto fell back to the CPU, when it did. */
  ep_fallback: string | null
  device_id: number
  /** GPU name when the EP is CUDA, else the CPU model. */
  device: string
  cpu_model: string
  cpu_count: number
  platform: string
  started_at: string
  finished_at: string | null
  /** True once every point of this (shard of the) grid has a record. */
  complete: boolean
  grid: {id: string; size: number; keys: string[]; source: string}
  shard: {k: number; n: number} | null
  options: Record<string, unknown>
  /** os.loadavg() (1, 5, 15 minutes) when the sweep started and ended: a loaded machine times slowly. */
  load_avg_start?: number[]
  load_avg_end?: number[] | null
  /** Set by `sweep merge`: the directories merged. */
  merged_from?: string[]
}

export function effscaleVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}).version
  } catch {
    return 'unknown'
  }
}

/**
 * nvidia-smi's id of CUDA device `deviceId`: CUDA numbers only the devices in
 * CUDA_VISIBLE_DEVICES (indices or UUIDs, as Slurm and CI runners set it), nvidia-smi all of them.
 */
export function nvidiaSmiId(deviceId: number, visible: string | undefined): string {
  const ids = visible?.split(',').map((s) => s.trim()) ?? []
  return ids[deviceId] || String(deviceId)
}

/** GPU name from nvidia-smi, if present. */
export function gpuName(deviceId: number): string | undefined {
  try {
    const id = nvidiaSmiId(deviceId, process.env.CUDA_VISIBLE_DEVICES)
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader', '-i', id], {encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore']})
    return out.split('\n').map((l) => l.trim()).find(Boolean)
  } catch {
    return undefined
  }
}

export function hostInfo(ep: Ep, deviceId: number): Pick<RunMeta, 'device' | 'cpu_model' | 'cpu_count' | 'platform' | 'node_version'> {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  return {
    device: ep === 'cuda' ? (gpuName(deviceId) ?? `CUDA device ${deviceId}`) : cpu,
    cpu_model: cpu,
    cpu_count: os.cpus().length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node_version: process.version,
  }
}
