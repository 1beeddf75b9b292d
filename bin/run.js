#!/usr/bin/env node
import {execute} from '@oclif/core'
import {dropStaleManifest} from './stale-manifest.js'

dropStaleManifest(import.meta.url)
await execute({dir: import.meta.url})
