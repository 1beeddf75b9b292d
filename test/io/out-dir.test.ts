/** Output directories and file writes: bounded mkdir, pseudo filesystems refused, temp files never left. */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {IoError, ioError, EXIT, IO_ERRORS, UserError, fsErrorLine} from '../../src/errors.js'
import {ensureOutDir} from '../../src/io/out-dir.js'
import {appendDurable, writeFileAtomic} from '../../src/io/write.js'
import {tmpDir} from '../sweep/helpers.js'

const ioErr = (re: RegExp, exit: number) => (e: unknown) => e instanceof IoError && e.exitCode === exit && re.test(e.message) && !e.message.includes('\n')
const linux = process.platform === 'linux'

describe('ensureOutDir', () => {
  it('creates missing parents (relative paths too) and accepts an existing directory', () => {
    const root = tmpDir('outdir')
    const deep = path.join(root, 'a', 'b', 'c')
    ensureOutDir(deep, '--out')
    assert.ok(lstatSync(deep).isDirectory())
    ensureOutDir(deep, '--out')
    ensureOutDir(path.relative(process.cwd(), path.join(root, 'a', 'x')), '--out')
    assert.ok(existsSync(path.join(root, 'a', 'x')))
  })

  it('/proc and /sys: refused in well under a second (Node\'s recursive mkdir spins forever there)', {skip: !linux || !existsSync('/proc/self')}, () => {
    for (const [dir, re] of [
      ['/proc/effscale-test/x', /^--out \/proc\/effscale-test\/x: \/proc is on the proc pseudo filesystem/],
      ['/proc/self', /^--out \/proc\/self: \/proc\/self is on the proc pseudo filesystem/],
      ['/sys/effscale-test', /^--out \/sys\/effscale-test: \/sys is on the sysfs pseudo filesystem/],
    ] as const) {
      const t0 = performance.now()
      assert.throws(() => ensureOutDir(dir, '--out'), ioErr(re, EXIT.usage))
      assert.ok(performance.now() - t0 < 1000)
    }
    // Through a symlink, too.
    const link = path.join(tmpDir('procl'), 'p')
    symlinkSync('/proc', link)
    assert.throws(() => ensureOutDir(path.join(link, 'x', 'y'), '--out'), ioErr(/is on the proc pseudo filesystem/, EXIT.usage))
  })

  it('a file in the way: not a directory, exit 2', () => {
    const root = tmpDir('notdir')
    writeFileSync(path.join(root, 'f'), '')
    assert.throws(() => ensureOutDir(path.join(root, 'f', 'x', 'y'), '--out'), ioErr(/^--out .*f\/x\/y: .*\/f is not a directory \(ENOTDIR\)$/, EXIT.usage))
    assert.throws(() => ensureOutDir(path.join(root, 'f'), '--out'), ioErr(/f is not a directory/, EXIT.usage))
  })
})

describe('writeFileAtomic', () => {
  it('replaces the file whole, through a symlink replaces its target, leaves no temp file', () => {
    const root = tmpDir('atomic')
    const file = path.join(root, 'a.csv')
    writeFileAtomic(file, 'one', 'w')
    writeFileAtomic(file, 'two', 'w')
    assert.equal(readFileSync(file, 'utf8'), 'two')
    const link = path.join(root, 'link.csv')
    symlinkSync(file, link)
    writeFileAtomic(link, 'three', 'w')
    assert.ok(lstatSync(link).isSymbolicLink())
    assert.equal(readFileSync(file, 'utf8'), 'three')
    assert.deepEqual(readdirSync(root).sort(), ['a.csv', 'link.csv'])
  })

  it('a directory or a missing directory: one line, exit 2, no temp file', () => {
    const root = tmpDir('atomic-bad')
    mkdirSync(path.join(root, 'd'))
    assert.throws(() => writeFileAtomic(path.join(root, 'd'), 'x', '--csv d: cannot write'), ioErr(/^--csv d: cannot write: is a directory \(EISDIR\)$/, EXIT.usage))
    assert.throws(() => writeFileAtomic(path.join(root, 'no', 'x.csv'), 'x', '--csv no/x.csv: cannot write'), ioErr(/: no such file or directory \(ENOENT\)$/, EXIT.usage))
    assert.deepEqual(readdirSync(root), ['d'])
  })

  it('a pipe (as /dev/stdout can be) is written through, not replaced', {skip: !linux}, async () => {
    const root = tmpDir('fifo')
    const fifo = path.join(root, 'fifo')
    const mk = spawn('mkfifo', [fifo])
    await new Promise((resolve) => mk.on('exit', resolve))
    const cat = spawn('cat', [fifo])
    let got = ''
    cat.stdout.on('data', (b: Buffer) => (got += b.toString()))
    const done = new Promise((resolve) => cat.on('exit', resolve))
    writeFileAtomic(fifo, 'through the pipe\n', 'w')
    await done
    assert.equal(got, 'through the pipe\n')
    assert.ok(lstatSync(fifo).isFIFO())
  })
})

describe('appendDurable', () => {
  it('a short write is continued; a failing one is cut off again and named (disk full: exit 1)', () => {
    const file = path.join(tmpDir('append'), 'r.jsonl')
    writeFileSync(file, '{"a":1}\n')
    // A disk that takes 3 bytes at a time.
    appendDurable(file, '{"b":2}\n', 'w', (fd, buf, off, len) => writeSync(fd, buf, off, Math.min(3, len)))
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"b":2}\n')
    // A disk that fills up after 5 bytes of the next line.
    let written = 0
    const full = (fd: number, buf: Uint8Array, off: number, len: number) => {
      if (written >= 5) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', syscall: 'write'})
      const n = writeSync(fd, buf, off, Math.min(5, len))
      written += n
      return n
    }
    assert.throws(() => appendDurable(file, '{"c":3}\n', `--out x: cannot write ${file}`, full), ioErr(/^--out x: cannot write .*r\.jsonl: no space left on device \(ENOSPC\)$/, EXIT.machineFault))
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"b":2}\n')
  })
})

describe('I/O error lines', () => {
  it('the errno decides the exit code: a bad path is 2, a machine fault 1, an unknown errno 1', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: something, open '/x'`), {code, syscall: 'open', path: '/x'})
    for (const code of ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS']) assert.equal(ioError('w', err(code)).exitCode, EXIT.usage, code)
    for (const code of ['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE']) assert.equal(ioError('w', err(code)).exitCode, EXIT.machineFault, code)
    assert.equal(ioError('w', err('EWEIRD')).exitCode, EXIT.machineFault)
    assert.equal(ioError('--out o: cannot write o/r', err('EROFS')).message, `--out o: cannot write o/r: ${IO_ERRORS.EROFS.cause} (EROFS)`)
    const user = new UserError('already one line')
    assert.equal(ioError('w', user), user)
    // A raw fs error no call site caught still names its path.
    assert.equal(fsErrorLine(err('ENOSPC'))?.message, 'cannot open /x: no space left on device (ENOSPC)')
    assert.equal(fsErrorLine(new Error('not from fs')), undefined)
  })
})
