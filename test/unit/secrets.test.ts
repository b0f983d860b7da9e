import { describe, expect, it } from 'vitest'
import { proxyPasswords, redact, registerSecrets, secretForms } from '../../src/secrets.js'

// Characters that URL encoding, JSON escaping and base64 (+ and /) all treat differently.
const KEY = 'drata_Key/with+odd"chars\\&=?end'
const b64 = (s: string) => Buffer.from(s).toString('base64')

/** The text with every form of KEY replaced must contain none of the key's forms. */
function clean(text: string): string {
  return redact(text, [KEY])
}

describe('redact', () => {
  it.each([
    ['raw', KEY],
    ['base64', b64(KEY)],
    ['base64 without padding', b64(KEY).replace(/=+$/, '')],
    ['base64url', Buffer.from(KEY).toString('base64url')],
    ['hex', Buffer.from(KEY).toString('hex')],
    ['HEX', Buffer.from(KEY).toString('hex').toUpperCase()],
    ['URL-encoded', encodeURIComponent(KEY)],
    ['URL-encoded, lower case', encodeURIComponent(KEY).replace(/%../g, (m) => m.toLowerCase())],
    ['JSON-escaped', JSON.stringify(KEY).slice(1, -1)],
  ])('removes the %s form', (_name, form) => {
    expect(clean(`before ${form} after`)).toBe('before *** after')
  })

  it('removes the key inside a longer base64 value, at every alignment', () => {
    for (const prefix of ['Bearer ', 'user:', 'ab:', 'a']) {
      const out = clean(`auth=${b64(prefix + KEY)}`)
      // What is left is only what the prefix and the last partial group decide.
      expect(out, prefix).toMatch(/^auth=.*\*\*\*.*$/)
      const [, head = '', tail = ''] = /^auth=(.*)\*\*\*(.*)$/.exec(out) ?? []
      expect(head.length).toBeLessThanOrEqual(Math.ceil((prefix.length * 4) / 3) + 1)
      expect(tail).toMatch(/^[A-Za-z0-9+/]?=*$/)
    }
  })

  it('removes base64 wrapped at 76 or 64 characters, with real or JSON-escaped breaks', () => {
    const long = b64(`Bearer ${KEY}${KEY}`)
    for (const width of [76, 64, 20]) {
      for (const eol of ['\n', '\r\n', '\\n', '\\r\\n']) {
        const wrapped = long.replace(new RegExp(`.{${width}}`, 'g'), `$&${eol}`)
        const out = clean(wrapped)
        for (const line of wrapped.split(eol)) {
          if (line.length >= 16) expect(out).not.toContain(line)
        }
      }
    }
  })

  it('leaves text without secrets alone, and ignores empty and tiny secrets', () => {
    expect(clean('nothing to hide here')).toBe('nothing to hide here')
    expect(redact('a b c', ['', 'b'])).toBe('a b c')
  })

  it('removes several secrets', () => {
    expect(redact('x tok-12345 y KEY-67890 z', ['tok-12345', 'KEY-67890'])).toBe('x *** y *** z')
  })
})

describe('registerSecrets', () => {
  it('registers the raw secret and each encoded form, none of them short', () => {
    const registered: string[] = []
    registerSecrets([KEY, ''], (v) => registered.push(v))
    expect(registered).toContain(KEY)
    expect(registered).toContain(b64(KEY))
    expect(registered).toContain(Buffer.from(KEY).toString('base64url'))
    expect(registered).toContain(Buffer.from(KEY).toString('hex'))
    expect(registered).toContain(encodeURIComponent(KEY))
    expect(registered).toContain(JSON.stringify(KEY).slice(1, -1))
    expect(registered.every((v) => v.length >= 8)).toBe(true)
    expect(new Set(registered).size).toBe(registered.length)
  })

  it('registers nothing for a key too short to be one', () => {
    expect(secretForms('abc')).toEqual([])
  })
})

describe('proxyPasswords', () => {
  it('finds the passwords of proxy URLs, decoded', () => {
    expect(
      proxyPasswords({
        HTTPS_PROXY: 'http://me:p%40ss-word@proxy:3128',
        http_proxy: 'http://proxy:3128',
        HTTP_PROXY: 'not a url',
      }),
    ).toEqual(['p@ss-word'])
  })
})
