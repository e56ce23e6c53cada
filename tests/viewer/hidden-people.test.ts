import { describe, expect, it } from 'vitest';
import { canHidePerson, createPolicy } from '../../client/src/viewer/policy.js';
import { MAX_BLOCKED_USERS, defaultSettings, hidePerson, resetSettings, sanitizeSettings, updateSettings, viewerSettings, type ViewerSettings } from '../../client/src/viewer/settings.js';

/**
 * A viewer hiding one person's comments ("屏蔽此用户"): the stored list read back
 * defensively, and the viewer's policy applying it. The browser side (the button,
 * the notice, the settings panel) is in tests/browser/hidden-people.browser.test.ts.
 */

const spammer = { id: '5b0d6a4e-7a43-4d0e-9a51-0d1f6f9f1a01', name: 'spam_king' };
const fan = { id: '5b0d6a4e-7a43-4d0e-9a51-0d1f6f9f1a02', name: 'Mei' };

/** A fresh viewer's settings with these people hidden, and no caps in the way. */
const withHidden = (people: ViewerSettings['blockedUsers']): ViewerSettings => ({ ...defaultSettings, merge: false, maxPerSecond: 0, blockedUsers: people });

let seq = 0;
const comment = (from: { id: string }, text: string, extra: { staff?: boolean; held?: boolean } = {}) => ({
  id: `c-${++seq}`,
  text,
  mode: 'scroll' as const,
  userId: from.id,
  ...extra,
});

describe('hidden people in the viewer settings', () => {
  it('starts with no one hidden, and keeps well-formed entries as stored', () => {
    expect(sanitizeSettings(null).blockedUsers).toEqual([]);
    expect(sanitizeSettings({ blockedUsers: [spammer, fan] }).blockedUsers).toEqual([spammer, fan]);
  });

  it('drops entries of the wrong shape, over-long ones and repeats, and keeps only id and name', () => {
    const stored = {
      blockedUsers: [
        spammer,
        'spam_king',
        null,
        { id: 42, name: 'number id' },
        { id: 'no-name' },
        { id: '', name: 'empty id' },
        { id: 'blank-name', name: '   ' },
        { id: 'x'.repeat(65), name: 'long id' },
        { id: 'long-name', name: 'n'.repeat(65) },
        { ...spammer, name: 'spam_king again' },
        { ...fan, name: '  Mei  ', role: 'admin' },
      ],
    };
    expect(sanitizeSettings(stored).blockedUsers).toEqual([spammer, fan]);
    expect(sanitizeSettings({ blockedUsers: 'everyone' }).blockedUsers).toEqual([]);
  });

  it(`keeps the ${MAX_BLOCKED_USERS} most recently hidden when the list is over the cap`, () => {
    const people = Array.from({ length: MAX_BLOCKED_USERS + 5 }, (_, i) => ({ id: `user-${i}`, name: `fan ${i}` }));
    const kept = sanitizeSettings({ blockedUsers: people }).blockedUsers;
    expect(kept).toHaveLength(MAX_BLOCKED_USERS);
    expect(kept[0].id).toBe('user-5');
    expect(kept.at(-1)!.id).toBe(`user-${MAX_BLOCKED_USERS + 4}`);
  });
});

describe('the viewer policy with hidden people', () => {
  it('drops a hidden person’s comments from the overlay and the list, and lets others through', () => {
    const policy = createPolicy(withHidden([spammer]));
    expect(policy.admit(comment(spammer, 'buy followers'), { nowMs: 0 })).toEqual({ kind: 'drop', reason: 'person' });
    expect(policy.admit(comment(fan, 'what a scene'), { nowMs: 1 })).toEqual({ kind: 'show' });
    expect(policy.hides(comment(spammer, 'buy followers'))).toBe(true);
    expect(policy.hides(comment(fan, 'what a scene'))).toBe(false);
  });

  it('never hides staff comments, nor the viewer’s own', () => {
    const policy = createPolicy(withHidden([spammer]));
    const fromStaff = comment(spammer, 'Please keep spoilers out', { staff: true });
    expect(policy.admit(fromStaff, { nowMs: 0 })).toEqual({ kind: 'show' });
    expect(policy.hides(fromStaff)).toBe(false);
    expect(policy.admit(comment(spammer, 'my own comment'), { nowMs: 1, own: true })).toEqual({ kind: 'show' });
  });

  it('still applies the word blocklist to people no one hid', () => {
    const policy = createPolicy({ ...withHidden([spammer]), blocklist: ['pineapple'] });
    expect(policy.hides(comment(fan, 'PineApple on pizza'))).toBe(true);
    expect(policy.admit(comment(fan, 'PineApple on pizza'), { nowMs: 0 })).toEqual({ kind: 'drop', reason: 'blocked' });
  });

  it('offers "hide this person" on other fans’ comments only', () => {
    expect(canHidePerson(comment(fan, 'hi'), false, null)).toBe(true);
    expect(canHidePerson(comment(fan, 'hi'), false, spammer.id)).toBe(true);
    expect(canHidePerson(comment(fan, 'mine'), true, fan.id)).toBe(false);
    // Their own, sent from another tab: the list does not know it as "own", the account does.
    expect(canHidePerson(comment(fan, 'from my phone'), false, fan.id)).toBe(false);
    expect(canHidePerson(comment(fan, 'mod notice', { staff: true }), false, null)).toBe(false);
    expect(canHidePerson(comment(fan, 'awaiting review', { held: true }), false, null)).toBe(false);
  });
});

describe('resetting the display settings', () => {
  it('brings the display back to the defaults and keeps the blocked words and hidden people', () => {
    hidePerson(spammer);
    updateSettings({ opacity: 0.4, area: 25, speed: 'fast', hiddenModes: ['top'], blocklist: ['spoiler'] });
    resetSettings();
    const after = viewerSettings.get();
    expect(after).toEqual({ ...defaultSettings, blocklist: ['spoiler'], blockedUsers: [spammer] });
  });
});

