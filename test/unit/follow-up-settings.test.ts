// The asset and vendor review inputs, read through readSettings with a runner's environment.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ASSET_TEXT_MAX } from '../../src/inputs/asset.js'
import { InputError, readSettings } from '../../src/inputs/index.js'
import type { Settings } from '../../src/settings.js'
import { type EventName, eventEnv } from '../github-fake/events.ts'
import { SHA } from '../github-fake/state.ts'

const DAY_MS = 86_400_000

// A workspace with files to attach, and a file outside it.
const ROOT = mkdtempSync(path.join(tmpdir(), 'follow-up-settings-'))
const WORKSPACE = path.join(ROOT, 'ws')
const OUTSIDE = path.join(ROOT, 'outside')
mkdirSync(path.join(WORKSPACE, 'reports'), { recursive: true })
mkdirSync(OUTSIDE)
writeFileSync(path.join(WORKSPACE, 'reports', 'soc2.pdf'), '%PDF-1.4')
writeFileSync(path.join(WORKSPACE, 'Scan.PNG'), 'png')
writeFileSync(path.join(WORKSPACE, 'notes.txt'), 'text')
writeFileSync(path.join(WORKSPACE, '..report.pdf'), '%PDF-1.4')
writeFileSync(path.join(OUTSIDE, 'secret.pdf'), 'not for Drata')
symlinkSync(path.join(OUTSIDE, 'secret.pdf'), path.join(WORKSPACE, 'linked.pdf'))

afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true })
})

const REQUIRED: Record<string, string> = {
  'api-key': 'k-123456',
  'connection-id': '7',
  'resource-id': '9',
}

/** The runner's environment of a run triggered by `event` (its payload file is real). */
function runEnv(event: EventName = 'deployment', extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...eventEnv(event), GITHUB_WORKSPACE: WORKSPACE, ...extra }
}

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = runEnv()): Settings {
  const all: Record<string, string> = { ...REQUIRED, ...inputs }
  return readSettings((name) => all[name] ?? '', env)
}

/** The problems of the InputError readSettings throws (fails the test when none is thrown). */
function problems(inputs: Record<string, string>, env: NodeJS.ProcessEnv = runEnv()): string[] {
  try {
    read(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('readSettings accepted the inputs')
}

const UPSERT = { asset: 'upsert', 'asset-owner-id': '5' }

describe('asset settings', () => {
  it('has no asset by default', () => {
    expect(read({}).asset).toBeUndefined()
    expect(read({ asset: 'none' }).asset).toBeUndefined()
  })

  it('reads the event payload once, and names GITHUB_EVENT_PATH when it cannot', () => {
    const env = runEnv('deployment', { GITHUB_EVENT_PATH: path.join(ROOT, 'missing.json') })
    expect(() => read({}, env)).toThrow(/Cannot read the event payload GITHUB_EVENT_PATH=/)
  })

  it('takes every default from a deployment run', () => {
    const s = read(UPSERT)
    expect(s.asset).toEqual({
      action: 'upsert',
      environment: 'production',
      name: 'shop (production)',
      description: `Deployed from acme/shop@${SHA.main.slice(0, 7)} by Evidence run 9004`,
      notes: 'https://github.com/acme/shop/actions/runs/9004',
      assetType: 'VIRTUAL',
      classTypes: ['SOFTWARE'],
      ownerId: 5,
      externalId: 'github:acme/shop:production',
      externalOwnerId: 'github:acme/shop',
    })
    expect(s.warnings).toEqual([])
  })

  it('takes the environment from the deployment in the event payload', () => {
    const env = runEnv('deployment', { GITHUB_EVENT_PATH: path.join(ROOT, 'staging.json') })
    writeFileSync(
      path.join(ROOT, 'staging.json'),
      JSON.stringify({ deployment: { id: 1, environment: 'staging-eu' } }),
    )
    const asset = read(UPSERT, env).asset
    expect(asset).toMatchObject({
      environment: 'staging-eu',
      name: 'shop (staging-eu)',
      externalId: 'github:acme/shop:staging-eu',
    })
  })

  it('names a run without a deployment after its branch or tag', () => {
    expect(read(UPSERT, runEnv('push')).asset).toMatchObject({
      environment: '',
      name: 'shop (main)',
      externalId: 'github:acme/shop:main',
      notes: 'https://github.com/acme/shop/actions/runs/9001',
    })
    expect(read(UPSERT, runEnv('release')).asset).toMatchObject({
      name: 'shop (v1.4.0)',
      externalId: 'github:acme/shop:v1.4.0',
    })
  })

  it('takes the environment input over the payload', () => {
    expect(read({ ...UPSERT, environment: 'qa' }).asset).toMatchObject({
      environment: 'qa',
      name: 'shop (qa)',
      externalId: 'github:acme/shop:qa',
    })
  })

  it('uses the server URL of a GitHub Enterprise run in the notes', () => {
    const env = runEnv('deployment', { GITHUB_SERVER_URL: 'https://ghe.acme.example' })
    expect(read(UPSERT, env).asset?.notes).toBe(
      'https://ghe.acme.example/acme/shop/actions/runs/9004',
    )
  })

  it('takes every field from its input when given', () => {
    const s = read({
      ...UPSERT,
      'asset-name': 'Shop API',
      'asset-description': 'The shop backend',
      'asset-notes': 'Owned by team checkout',
      'asset-external-id': 'shop-api-prod',
      'asset-external-owner-id': 'acme',
    })
    expect(s.asset).toMatchObject({
      name: 'Shop API',
      description: 'The shop backend',
      notes: 'Owned by team checkout',
      externalId: 'shop-api-prod',
      externalOwnerId: 'acme',
    })
  })

  it('shortens a name over 191 characters with an ellipsis and a warning', () => {
    expect(ASSET_TEXT_MAX).toBe(191)
    const long = 'n'.repeat(200)
    const s = read({ ...UPSERT, 'asset-name': long })
    expect(s.asset?.name).toHaveLength(191)
    expect(s.asset?.name).toBe(`${'n'.repeat(190)}…`)
    expect(s.warnings).toEqual([
      "'asset-name' is 200 characters; Drata takes at most 191, so it was shortened",
    ])
  })

  it('shortens the description and notes too, each with its warning', () => {
    const s = read({
      ...UPSERT,
      'asset-description': 'd'.repeat(192),
      'asset-notes': 'o'.repeat(500),
    })
    expect(s.asset?.description).toBe(`${'d'.repeat(190)}…`)
    expect(s.asset?.notes).toBe(`${'o'.repeat(190)}…`)
    expect(s.warnings).toHaveLength(2)
    expect(s.warnings[0]).toContain("'asset-description' is 192 characters")
    expect(s.warnings[1]).toContain("'asset-notes' is 500 characters")
  })

  it('keeps text of exactly 191 characters without a warning', () => {
    const s = read({ ...UPSERT, 'asset-name': 'x'.repeat(191) })
    expect(s.asset?.name).toBe('x'.repeat(191))
    expect(s.warnings).toEqual([])
  })

  it('shortens a default name made long by the environment, with a warning', () => {
    const environment = 'e'.repeat(250)
    const s = read({ ...UPSERT, environment, 'asset-external-id': 'shop-long-env' })
    expect(s.asset?.name).toHaveLength(191)
    expect(s.asset?.name).toBe(`shop (${'e'.repeat(184)}…`)
    expect(s.asset?.externalId).toBe('shop-long-env')
    expect(s.warnings).toHaveLength(1)
    expect(s.warnings[0]).toContain("'asset-name'")
  })

  it('rejects a default external id made over 191 characters by the environment', () => {
    // 'github:acme/shop:' is 17 characters: an environment of 175 makes 192.
    expect(problems({ ...UPSERT, environment: 'e'.repeat(175) })).toEqual([
      "'asset-external-id' must be at most 191 characters (got 192)",
    ])
    expect(read({ ...UPSERT, environment: 'e'.repeat(174) }).asset?.externalId).toHaveLength(191)
  })

  it('takes an asset-external-id of up to 191 characters, never shortening it', () => {
    const id = 'x'.repeat(191)
    expect(read({ ...UPSERT, 'asset-external-id': id }).asset?.externalId).toBe(id)
    expect(problems({ ...UPSERT, 'asset-external-id': `${id}y` })).toEqual([
      "'asset-external-id' must be at most 191 characters (got 192)",
    ])
  })

  it('requires asset-owner-id to upsert', () => {
    expect(problems({ asset: 'upsert' })).toEqual([
      "'asset-owner-id' is required: Drata requires an owner for an asset: the id of a Drata user",
    ])
  })

  it('needs no owner to remove', () => {
    expect(read({ asset: 'remove' }).asset).toMatchObject({
      action: 'remove',
      ownerId: undefined,
      externalId: 'github:acme/shop:production',
    })
  })

  it.each(['push', 'schedule', 'release'] as const)(
    'will not remove an asset guessed from the ref of a %s run',
    (event) => {
      expect(problems({ asset: 'remove' }, runEnv(event))).toEqual([
        "'asset: remove' needs 'environment' or 'asset-external-id' to say which asset to delete",
      ])
    },
  )

  it('removes the asset of an environment named in the input, outside a deployment', () => {
    expect(
      read({ asset: 'remove', environment: 'preview-42' }, runEnv('push')).asset,
    ).toMatchObject({
      action: 'remove',
      environment: 'preview-42',
      externalId: 'github:acme/shop:preview-42',
    })
  })

  it('removes the asset named by asset-external-id, outside a deployment', () => {
    const s = read({ asset: 'remove', 'asset-external-id': 'shop-preview-42' }, runEnv('push'))
    expect(s.asset).toMatchObject({ action: 'remove', externalId: 'shop-preview-42' })
  })

  it('removes the asset of the deployment of a deployment event, even without its environment', () => {
    const env = runEnv('deployment', { GITHUB_EVENT_PATH: path.join(ROOT, 'no-env.json') })
    writeFileSync(path.join(ROOT, 'no-env.json'), JSON.stringify({ deployment: { id: 1 } }))
    expect(read({ asset: 'remove' }, env).asset).toMatchObject({
      action: 'remove',
      environment: '',
      externalId: 'github:acme/shop:main',
    })
  })

  it('upserts the asset of the ref outside a deployment, with no key named', () => {
    expect(read(UPSERT, runEnv('push')).asset).toMatchObject({
      action: 'upsert',
      externalId: 'github:acme/shop:main',
    })
  })

  it('rejects an owner id that is not a positive integer', () => {
    expect(problems({ asset: 'upsert', 'asset-owner-id': 'alice' })).toEqual([
      "'asset-owner-id' must be a positive integer (got 'alice')",
    ])
  })

  it('reads the asset action case-insensitively and rejects an unknown one', () => {
    expect(read({ ...UPSERT, asset: 'Upsert' }).asset?.action).toBe('upsert')
    expect(read({ asset: 'REMOVE' }).asset?.action).toBe('remove')
    expect(problems({ asset: 'delete' })).toEqual([
      "'asset' must be one of none, upsert, remove (got 'delete')",
    ])
  })

  it('reads asset-type case-insensitively and rejects an unknown one, naming the input', () => {
    expect(read({ ...UPSERT, 'asset-type': 'physical' }).asset?.assetType).toBe('PHYSICAL')
    expect(read({ ...UPSERT, 'asset-type': 'Virtual' }).asset?.assetType).toBe('VIRTUAL')
    expect(problems({ ...UPSERT, 'asset-type': 'cloud' })).toEqual([
      "'asset-type' must be one of PHYSICAL, VIRTUAL (got 'cloud')",
    ])
  })

  it('reads asset-class-types as a case-insensitive list without repeats', () => {
    const s = read({ ...UPSERT, 'asset-class-types': 'software, Container\ncode,SOFTWARE' })
    expect(s.asset?.classTypes).toEqual(['SOFTWARE', 'CONTAINER', 'CODE'])
  })

  it('rejects each unknown class type, naming the input and the value', () => {
    const found = problems({ ...UPSERT, 'asset-class-types': 'software, laptop, vm' })
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^'asset-class-types' has 'laptop'; expected any of HARDWARE, /)
    expect(found[1]).toMatch(/^'asset-class-types' has 'vm';/)
  })

  it('reports asset problems together with the others', () => {
    const found = problems({ asset: 'upsert', 'asset-type': 'x', 'batch-size': '0' })
    expect(found).toHaveLength(3)
    expect(found.join('\n')).toContain("'asset-owner-id'")
    expect(found.join('\n')).toContain("'asset-type'")
    expect(found.join('\n')).toContain("'batch-size'")
  })
})

describe('vendor review settings', () => {
  const VENDOR = { 'vendor-id': '12' }

  it('has no review without vendor-id', () => {
    expect(read({}).vendorReview).toBeUndefined()
  })

  it('rejects a vendor-id that is not a positive integer', () => {
    expect(problems({ 'vendor-id': 'stripe' })).toEqual([
      "'vendor-id' must be a positive integer (got 'stripe')",
    ])
  })

  it('fills every default from the run, the deadline 30 days ahead', () => {
    const before = Date.now()
    const review = read(VENDOR).vendorReview
    const after = Date.now()
    expect(review).toEqual({
      vendorId: 12,
      type: 'SECURITY',
      status: 'NOT_YET_STARTED',
      title: 'Security review requested by Evidence run 9004',
      deadline: expect.any(String),
      requesterId: undefined,
      note: '',
      file: '',
      documentType: undefined,
    })
    const deadline = Date.parse(review?.deadline ?? '')
    expect(deadline).toBeGreaterThanOrEqual(before + 30 * DAY_MS)
    expect(deadline).toBeLessThanOrEqual(after + 30 * DAY_MS)
  })

  it('reads a deadline in days from now', () => {
    const before = Date.now()
    const deadline = Date.parse(
      read({ ...VENDOR, 'vendor-review-deadline': '+7d' }).vendorReview?.deadline ?? '',
    )
    expect(deadline - before).toBeGreaterThanOrEqual(7 * DAY_MS)
    expect(deadline - before).toBeLessThan(7 * DAY_MS + 60_000)
  })

  it.each([
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2026-12-31T10:30:00Z', '2026-12-31T10:30:00.000Z'],
    ['2026-12-31T10:30+02:00', '2026-12-31T08:30:00.000Z'],
    ['2026-12-31T10:30:15.250-05:00', '2026-12-31T15:30:15.250Z'],
  ])('reads the ISO deadline %s as %s', (raw, iso) => {
    expect(read({ ...VENDOR, 'vendor-review-deadline': raw }).vendorReview?.deadline).toBe(iso)
  })

  it.each([
    'tomorrow',
    '31/12/2026',
    '2026-13-01',
    '+30',
    '+d',
    '-5d',
    '2026-12-31 10:30',
    '1767139200',
  ])('rejects the deadline %s, naming the input', (raw) => {
    expect(problems({ ...VENDOR, 'vendor-review-deadline': raw })).toEqual([
      `'vendor-review-deadline' must be +Nd (days from now), an ISO date (2026-12-31) or an ISO date-time (got '${raw}')`,
    ])
  })

  it('rejects an ISO date that does not exist in the calendar', () => {
    expect(problems({ ...VENDOR, 'vendor-review-deadline': '2026-02-30' })).toHaveLength(1)
  })

  it('reads type, status and document type case-insensitively', () => {
    const review = read({
      ...VENDOR,
      'vendor-review-type': 'upload_report',
      'vendor-review-status': 'In_Progress',
      'vendor-review-document-type': 'soc_document',
    }).vendorReview
    expect(review).toMatchObject({
      type: 'UPLOAD_REPORT',
      status: 'IN_PROGRESS',
      documentType: 'SOC_DOCUMENT',
    })
  })

  it('rejects an unknown type, status or document type, naming each input', () => {
    const found = problems({
      ...VENDOR,
      'vendor-review-type': 'audit',
      'vendor-review-status': 'done',
      'vendor-review-document-type': 'pdf',
    })
    expect(found).toEqual([
      "'vendor-review-document-type' must be one of COMPLIANCE_REPORT, COMPLIANCE_REPORT_REVIEW, BRIDGE_LETTER, UPLOADED_COMPLIANCE_REPORT_REVIEW, QUESTIONNAIRE_ATTACHMENT, SOC_DOCUMENT, QUESTIONNAIRE_REPORT, TRUST_CENTER_PAGE (got 'pdf')",
      "'vendor-review-type' must be one of SECURITY, SOC_REPORT, UPLOAD_REPORT (got 'audit')",
      "'vendor-review-status' must be one of NOT_YET_STARTED, IN_PROGRESS, COMPLETED, NOT_REQUIRED (got 'done')",
    ])
  })

  it('reads the requester id and rejects one that is not a positive integer', () => {
    expect(read({ ...VENDOR, 'vendor-review-requester-id': '3' }).vendorReview?.requesterId).toBe(3)
    expect(problems({ ...VENDOR, 'vendor-review-requester-id': '0' })).toEqual([
      "'vendor-review-requester-id' must be a positive integer (got '0')",
    ])
  })

  it('takes a title and a note up to their limits', () => {
    const review = read({
      ...VENDOR,
      'vendor-review-title': 't'.repeat(191),
      'vendor-review-note': 'n'.repeat(1000),
    }).vendorReview
    expect(review?.title).toBe('t'.repeat(191))
    expect(review?.note).toBe('n'.repeat(1000))
  })

  it('rejects a title over 191 characters rather than shortening it (it is the re-run key)', () => {
    expect(problems({ ...VENDOR, 'vendor-review-title': 't'.repeat(192) })).toEqual([
      "'vendor-review-title' must be at most 191 characters (got 192)",
    ])
  })

  it('rejects a note over 1000 characters', () => {
    expect(problems({ ...VENDOR, 'vendor-review-note': 'n'.repeat(1001) })).toEqual([
      "'vendor-review-note' must be at most 1000 characters (got 1001)",
    ])
  })

  it('shortens the workflow name, never the run id, in a default title made long by it', () => {
    const workflow = 'w'.repeat(200)
    const s = read(VENDOR, runEnv('deployment', { GITHUB_WORKFLOW: workflow }))
    // 'Security review requested by ' and ' run 9004' leave 153 characters for the workflow.
    expect(s.vendorReview?.title).toBe(`Security review requested by ${'w'.repeat(152)}… run 9004`)
    expect(s.vendorReview?.title).toHaveLength(191)
    expect(s.warnings).toEqual([])
  })

  it('keeps the whole workflow name when the default title fits in 191 characters', () => {
    const workflow = 'w'.repeat(153)
    const s = read(VENDOR, runEnv('deployment', { GITHUB_WORKFLOW: workflow }))
    expect(s.vendorReview?.title).toBe(`Security review requested by ${workflow} run 9004`)
    expect(s.vendorReview?.title).toHaveLength(191)
    const longer = read(VENDOR, runEnv('deployment', { GITHUB_WORKFLOW: `${workflow}w` }))
    expect(longer.vendorReview?.title).toBe(
      `Security review requested by ${'w'.repeat(152)}… run 9004`,
    )
  })

  it('keeps a long run id whole in the default title', () => {
    const runId = '98765432109876'
    const s = read(
      VENDOR,
      runEnv('deployment', { GITHUB_WORKFLOW: 'w'.repeat(200), GITHUB_RUN_ID: runId }),
    )
    expect(s.vendorReview?.title).toHaveLength(191)
    expect(s.vendorReview?.title.endsWith(`… run ${runId}`)).toBe(true)
  })

  it('resolves a review file inside the workspace to its absolute path', () => {
    expect(read({ ...VENDOR, 'vendor-review-file': 'reports/soc2.pdf' }).vendorReview?.file).toBe(
      path.join(WORKSPACE, 'reports', 'soc2.pdf'),
    )
  })

  it('accepts an allowed extension in any case', () => {
    expect(read({ ...VENDOR, 'vendor-review-file': 'Scan.PNG' }).vendorReview?.file).toBe(
      path.join(WORKSPACE, 'Scan.PNG'),
    )
  })

  it('rejects a review file outside the workspace', () => {
    for (const raw of ['../outside/secret.pdf', 'reports/../../outside/secret.pdf']) {
      expect(problems({ ...VENDOR, 'vendor-review-file': raw })).toEqual([
        `'vendor-review-file' must be a path inside GITHUB_WORKSPACE (got '${raw}')`,
      ])
    }
  })

  it('rejects an absolute review file path, even inside the workspace', () => {
    const raw = path.join(WORKSPACE, 'reports', 'soc2.pdf')
    expect(problems({ ...VENDOR, 'vendor-review-file': raw })).toEqual([
      `'vendor-review-file' must be a path inside GITHUB_WORKSPACE (got '${raw}')`,
    ])
  })

  it('rejects a review file with an extension Drata does not accept', () => {
    const found = problems({ ...VENDOR, 'vendor-review-file': 'notes.txt' })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^'vendor-review-file' must be one of \.pdf \.docx .* \.csv /)
    expect(found[0]).toContain("got 'notes.txt'")
  })

  it('rejects a review file that does not exist', () => {
    expect(problems({ ...VENDOR, 'vendor-review-file': 'reports/soc3.pdf' })).toEqual([
      "'vendor-review-file' names a file that does not exist: reports/soc3.pdf",
    ])
  })

  it('rejects a review file that links outside the workspace', () => {
    expect(problems({ ...VENDOR, 'vendor-review-file': 'linked.pdf' })).toHaveLength(1)
  })

  it('accepts a file in the workspace whose name starts with two dots', () => {
    expect(read({ ...VENDOR, 'vendor-review-file': '..report.pdf' }).vendorReview?.file).toBe(
      path.join(WORKSPACE, '..report.pdf'),
    )
  })
})

describe('both follow-ups without records', () => {
  it('needs no connection or resource when nothing is pushed', () => {
    const s = readSettings(
      (name) =>
        ({ 'api-key': 'k-123456', collect: 'none', ...UPSERT, 'vendor-id': '12' })[name] ?? '',
      runEnv(),
    )
    expect(s.connectionId).toBeUndefined()
    expect(s.asset?.action).toBe('upsert')
    expect(s.vendorReview?.vendorId).toBe(12)
  })
})
