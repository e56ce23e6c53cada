import { seeded } from '../kit/stats.js';

/**
 * A deterministic corpus of proposals that makes moderation do real work: English and
 * Chinese stories, links (one, or more than three), near-duplicates of earlier
 * proposals of the same franchise, shouting, repetition, global block/hold/censor
 * terms, and flooding authors. Each proposal carries its `kind` and the decision the
 * automod rules imply for it, so the run can show decisions by kind.
 */
export type Kind = 'clean-en' | 'clean-zh' | 'link' | 'links-4' | 'duplicate' | 'shouting' | 'repetition' | 'hold-term' | 'censor-term' | 'block-term' | 'flood';

export interface Submission {
  author: number;
  kind: Kind;
  ip: string;
  title: string;
  body: string;
  tags: string[];
  withRoom: boolean;
  /** For flood proposals: the author's n-th (1-based) proposal in this corpus. */
  nth?: number;
}

const NAMES = ['Mei', 'Wen', 'An', 'Captain Lu', 'the archivist', 'Old Zhao', 'the twins', 'Professor Qin', 'the ferryman', 'Lady Su', 'the cartographer', 'Jun'];
const VERBS = ['should discover', 'could betray', 'must rescue', 'secretly protects', 'finally confronts', 'escapes with', 'forgives', 'teams up with', 'reveals the truth about', 'loses the trust of', 'steals the map from', 'writes a letter to'];
const OBJECTS = ['the lighthouse key', 'the missing ledger', 'her younger brother', 'the jade compass', 'the burned letters', 'the northern fleet', 'the tea house owner', 'the hidden archive', 'the night market thief', 'the old radio', 'the broken violin', 'the harbor master'];
const PLACES = ['at the harbor', 'in the flooded temple', 'on the night train', 'during the lantern festival', 'in the abandoned cinema', 'under the old bridge', 'at the border checkpoint', 'in the mountain monastery', 'on the rooftop garden', 'in the salt marsh', 'inside the clock tower', 'at the wedding banquet'];
const WHEN = ['In season two', 'In the finale', 'Before the time skip', 'In a flashback episode', 'Right after the storm', 'In the spin-off', 'At the midpoint of the season', 'In the last five minutes'];
const WHY = ['because the clues in episode four point there', 'which would pay off the mirror scene', 'so that the prophecy finally makes sense', 'because it mirrors the opening shot', 'which explains the missing hour', 'and it would give the villain a real motive'];

const ZH_WHO = ['梅', '文', '安', '陆船长', '档案管理员', '老赵', '双胞胎', '秦教授', '摆渡人', '苏夫人', '制图师', '阿俊'];
const ZH_DO = ['应该找到', '可能背叛', '必须救出', '暗中保护', '终于对峙', '带着逃走', '原谅了', '联手', '揭开真相关于', '偷走了', '写信给', '失去了'];
const ZH_WHAT = ['灯塔的钥匙', '失踪的账本', '她的弟弟', '玉罗盘', '烧毁的信', '北方舰队', '茶馆老板', '隐藏的档案馆', '夜市小偷', '旧收音机', '断弦的小提琴', '港务长'];
const ZH_WHERE = ['在码头', '在被淹的寺庙里', '在夜班火车上', '在元宵灯会上', '在废弃的电影院', '在老桥下', '在边境检查站', '在山中寺院', '在屋顶花园', '在盐沼', '在钟楼里', '在婚宴上'];
const ZH_WHEN = ['第二季里', '大结局时', '时间跳跃之前', '回忆那一集', '暴风雨之后', '番外篇里', '这一季过半时', '最后五分钟'];
const ZH_WHY = ['因为第四集的线索指向那里', '这样镜子那场戏就有了呼应', '这样预言终于说得通', '因为这和开场镜头对应', '这能解释消失的那一小时', '这样反派才有真正的动机'];

/** Global term list the run installs: invented words and rare characters that only planted texts contain. */
export function termList(seed: number): Array<{ term: string; action: 'block' | 'hold' | 'censor' }> {
  const rnd = seeded(seed ^ 0x5eed);
  const latin = 'bcdfghjklmnpqrstvwxz';
  const vowels = 'aeiou';
  const terms = new Map<string, 'block' | 'hold' | 'censor'>();
  const actions = ['block', 'hold', 'censor'] as const;
  let k = 0;
  while (terms.size < 300) {
    const action = actions[k++ % 3];
    if (rnd() < 0.6) {
      let w = '';
      for (let i = 0; i < 3; i++) w += latin[Math.floor(rnd() * latin.length)] + vowels[Math.floor(rnd() * vowels.length)];
      terms.set(`${w}x`, action);
    } else {
      let w = '';
      for (let i = 0; i < 2; i++) w += String.fromCodePoint(0x9a00 + Math.floor(rnd() * 200));
      terms.set(w, action);
    }
  }
  return [...terms].map(([term, action]) => ({ term, action }));
}

/**
 * `count` proposals: `flooders` authors submit `floodEach` each (flood kind); the rest
 * go 4 each to the other authors, so no regular author trips the flooding rule.
 */
export function corpus(opts: { count: number; authors: number; flooders: number; floodEach: number; franchises: string[]; franchiseShares: number[]; seed: number }): Submission[] {
  const rnd = seeded(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const terms = termList(opts.seed);
  const termsBy = (a: string) => terms.filter((t) => t.action === a).map((t) => t.term);
  const franchise = () => {
    let x = rnd();
    for (let i = 0; i < opts.franchises.length; i++) if ((x -= opts.franchiseShares[i]) < 0) return opts.franchises[i];
    return opts.franchises[opts.franchises.length - 1];
  };
  const english = () => {
    const sentences = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => `${pick(WHEN)}, ${pick(NAMES)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}, ${pick(WHY)}.`);
    return { title: `${pick(NAMES)} ${pick(VERBS)} ${pick(OBJECTS)}`.slice(0, 120), sentences };
  };
  const chinese = () => {
    const sentences = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => `${pick(ZH_WHEN)}，${pick(ZH_WHO)}${pick(ZH_DO)}${pick(ZH_WHAT)}${pick(ZH_WHERE)}，${pick(ZH_WHY)}。`);
    return { title: `${pick(ZH_WHO)}${pick(ZH_DO)}${pick(ZH_WHAT)}`, sentences };
  };
  const html = (sentences: string[]) => {
    const [first, ...rest] = sentences;
    const list = rest.length > 1 && rnd() < 0.3 ? `<ul>${rest.map((s) => `<li>${s}</li>`).join('')}</ul>` : rest.map((s) => `<p>${s}</p>`).join('');
    return `<p><b>${first.slice(0, 24)}</b>${first.slice(24)}</p>${list}`;
  };
  const link = (i: number) => `<a href="https://example.com/theory/${i}">theory ${i}</a>`;

  const out: Submission[] = [];
  const byFranchise = new Map<string, Submission[]>();
  const regularAuthors = opts.authors - opts.flooders;
  const floodTotal = opts.flooders * opts.floodEach;
  const regularTotal = opts.count - floodTotal;
  if (regularTotal > regularAuthors * 4) throw new Error(`${regularTotal} regular proposals need at least ${Math.ceil(regularTotal / 4)} regular authors`);
  // Flood proposals are interleaved through the run, each flooder in order.
  const floodEvery = floodTotal > 0 ? opts.count / floodTotal : Infinity;
  const floodNth = new Array<number>(opts.flooders).fill(0);
  let floodDone = 0;
  let regular = 0;
  for (let i = 0; i < opts.count; i++) {
    const ip = franchise();
    const withRoom = rnd() < 0.5;
    const tags = rnd() < 0.5 ? [pick(['theory', 'season2', 'finale', 'ship', 'villain', '伏笔', '结局'])] : [];
    let s: Submission;
    if (floodDone < floodTotal && i >= (floodDone + 0.5) * floodEvery - 1) {
      const author = regularAuthors + (floodDone % opts.flooders);
      const nth = ++floodNth[floodDone % opts.flooders];
      floodDone++;
      const t = english();
      s = { author, kind: 'flood', ip, title: t.title, body: html(t.sentences), tags, withRoom, nth };
    } else {
      // Regular authors: four each, spread so one author's four are far apart.
      const author = (regular * 7919) % regularAuthors;
      regular++;
      const x = rnd();
      const same = byFranchise.get(ip) ?? [];
      if (x < 0.45) {
        const t = english();
        s = { author, kind: 'clean-en', ip, title: t.title, body: html(t.sentences), tags, withRoom };
      } else if (x < 0.7) {
        const t = chinese();
        s = { author, kind: 'clean-zh', ip, title: t.title, body: html(t.sentences), tags, withRoom };
      } else if (x < 0.78) {
        const t = rnd() < 0.5 ? english() : chinese();
        s = { author, kind: 'link', ip, title: t.title, body: `${html(t.sentences)}<p>More in ${link(i)}.</p>`, tags, withRoom };
      } else if (x < 0.81) {
        const t = english();
        s = { author, kind: 'links-4', ip, title: t.title, body: `${html(t.sentences)}<p>${[0, 1, 2, 3].map((k) => link(i * 10 + k)).join(' ')}</p>`, tags, withRoom };
      } else if (x < 0.91 && same.length > 50) {
        // A near-duplicate of an earlier proposal of the same franchise (at least 50 back).
        const orig = same[Math.floor(rnd() * (same.length - 50))];
        const extra = orig.kind === 'clean-zh' ? '<p>我也这么觉得！</p>' : '<p>I think so too!</p>';
        s = { author, kind: 'duplicate', ip, title: orig.title, body: orig.body + extra, tags, withRoom };
      } else if (x < 0.93) {
        const t = english();
        s = { author, kind: 'shouting', ip, title: t.title.toUpperCase(), body: html(t.sentences.map((z) => z.toUpperCase())), tags, withRoom };
      } else if (x < 0.94) {
        const t = english();
        const word = pick(['spoiler', 'please', 'mei', 'justice']);
        s = { author, kind: 'repetition', ip, title: t.title, body: `<p>${Array.from({ length: 14 }, () => word).join(' ')}</p>`, tags, withRoom };
      } else {
        const kind = x < 0.96 ? 'hold-term' : x < 0.98 ? 'censor-term' : 'block-term';
        const term = pick(termsBy(kind.split('-')[0]));
        const t = rnd() < 0.5 ? english() : chinese();
        t.sentences[t.sentences.length - 1] += ` ${term} `;
        s = { author, kind, ip, title: t.title, body: html(t.sentences), tags, withRoom };
      }
    }
    out.push(s);
    if (s.kind === 'clean-en' || s.kind === 'clean-zh') {
      const list = byFranchise.get(ip);
      if (list) list.push(s);
      else byFranchise.set(ip, [s]);
    }
  }
  return out;
}

/** What the automod rules imply for a proposal of this kind, moderated in submission order. */
export function expectedStatus(s: Submission, authorIsNew: boolean): 'approved' | 'held' | 'rejected' {
  switch (s.kind) {
    case 'clean-en':
    case 'clean-zh':
      return 'approved';
    case 'link':
      return authorIsNew ? 'held' : 'approved';
    case 'block-term':
      return 'rejected';
    case 'flood':
      return s.nth! >= 20 ? 'rejected' : s.nth! >= 5 ? 'held' : 'approved';
    default:
      return 'held';
  }
}
