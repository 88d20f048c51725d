/**
 * Fast method for large runs: greedy by priority density, then local improvement (insert,
 * relocate-to-make-room, swap out a lower-value household), then splitting — only for households
 * that allow it and could not travel whole — into the places left.
 */
import { type CompiledModel, SPLIT_PENALTY } from './model.js';

export interface FastOptions {
  /** Wall-clock budget of the improvement phase (default 2 s). */
  improvementSeconds?: number;
}

export function solveFast(model: CompiledModel, options: FastOptions = {}): Int32Array {
  const deadline = performance.now() + 1000 * (options.improvementSeconds ?? 2);
  const { households } = model;
  const legCount = model.legIds.length;
  const free = Int32Array.from(model.free);
  const householdLeg = new Int32Array(households.length).fill(-1);
  const onLeg: Set<number>[] = Array.from({ length: legCount }, () => new Set<number>());

  const fits = (h: number, l: number): boolean => {
    const need = households[h]!.need;
    return need[0] <= free[3 * l]! && need[1] <= free[3 * l + 1]! && need[2] <= free[3 * l + 2]!;
  };
  const fitsWithout = (g: number, l: number, h: number): boolean => {
    const need = households[g]!.need;
    const freed = households[h]!.need;
    for (let k = 0; k < 3; k++) if (need[k]! > free[3 * l + k]! + freed[k]!) return false;
    return true;
  };
  const place = (h: number, l: number): void => {
    const need = households[h]!.need;
    for (let k = 0; k < 3; k++) free[3 * l + k]! -= need[k]!;
    householdLeg[h] = l;
    onLeg[l]!.add(h);
  };
  const remove = (h: number): void => {
    const l = householdLeg[h]!;
    const need = households[h]!.need;
    for (let k = 0; k < 3; k++) free[3 * l + k]! += need[k]!;
    householdLeg[h] = -1;
    onLeg[l]!.delete(h);
  };

  // 1. Pins first (compile() guarantees they fit together).
  for (const household of households) if (household.pinned >= 0) place(household.index, household.pinned);

  // 2. Price of each kind of place: how oversubscribed it is.
  const demand = [0, 0, 0];
  const supply = [0, 0, 0];
  for (const household of households) {
    if (household.wholeLegs.length === 0) continue;
    for (let k = 0; k < 3; k++) demand[k]! += household.need[k]!;
  }
  for (let l = 0; l < legCount; l++) for (let k = 0; k < 3; k++) supply[k]! += Math.max(0, free[3 * l + k]!);
  const price = demand.map((d, k) => (supply[k]! > 0 ? Math.max(0.05, d / supply[k]!) : 1));
  const size = (h: number): number => {
    const need = households[h]!.need;
    return need[0] * price[0]! + need[1] * price[1]! + need[2] * price[2]!;
  };

  // 3. Greedy by density; each household goes to the fitting leg with the most slack left
  //    once the expected demand of households still to come is taken off.
  const pressure = new Float64Array(legCount);
  const candidates = households.filter((h) => h.pinned < 0 && h.wholeLegs.length > 0).map((h) => h.index);
  for (const h of candidates) {
    const share = size(h) / households[h]!.wholeLegs.length;
    for (const l of households[h]!.wholeLegs) pressure[l]! += share;
  }
  const density = new Float64Array(households.length);
  for (const h of candidates) density[h] = households[h]!.value / size(h);
  candidates.sort((a, b) => density[b]! - density[a]! || a - b);
  const slack = (l: number): number =>
    free[3 * l]! * price[0]! + free[3 * l + 1]! * price[1]! + free[3 * l + 2]! * price[2]! - pressure[l]!;
  for (const h of candidates) {
    const legs = households[h]!.wholeLegs;
    let best = -1;
    let bestSlack = Number.NEGATIVE_INFINITY;
    for (const l of legs) {
      if (!fits(h, l)) continue;
      const s = slack(l);
      if (s > bestSlack) {
        bestSlack = s;
        best = l;
      }
    }
    const share = size(h) / legs.length;
    for (const l of legs) pressure[l]! -= share;
    if (best >= 0) place(h, best);
  }

  // 4. Local improvement.
  const tryInsert = (g: number, queue: number[]): boolean => {
    const legs = households[g]!.wholeLegs;
    for (const l of legs) {
      if (fits(g, l)) {
        place(g, l);
        return true;
      }
    }
    // Move one household elsewhere to make room.
    for (const l of legs) {
      for (const h of onLeg[l]!) {
        if (households[h]!.pinned >= 0 || !fitsWithout(g, l, h)) continue;
        for (const other of households[h]!.wholeLegs) {
          if (other === l || !fits(h, other)) continue;
          remove(h);
          place(h, other);
          place(g, l);
          return true;
        }
      }
    }
    // Swap out the least valuable household whose places would let g in.
    let victim = -1;
    let victimValue = households[g]!.value;
    for (const l of legs) {
      for (const h of onLeg[l]!) {
        if (households[h]!.pinned >= 0 || households[h]!.value >= victimValue) continue;
        if (!fitsWithout(g, l, h)) continue;
        victim = h;
        victimValue = households[h]!.value;
      }
    }
    if (victim < 0) return false;
    const l = householdLeg[victim]!;
    remove(victim);
    place(g, l);
    queue.push(victim);
    return true;
  };
  for (let pass = 0; pass < 20 && performance.now() < deadline; pass++) {
    let changed = false;
    const queue = candidates.filter((h) => householdLeg[h]! < 0);
    queue.sort((a, b) => households[b]!.value - households[a]!.value || a - b);
    for (let i = 0; i < queue.length; i++) {
      if ((i & 15) === 0 && performance.now() > deadline) break;
      const g = queue[i]!;
      if (householdLeg[g]! >= 0) continue;
      if (tryInsert(g, queue)) changed = true;
    }
    if (!changed) break;
  }

  // 5. Split households that allow it and could not travel whole: first into the places left,
  //    then by taking the places of a less valuable household (which then looks for another leg).
  const splitLeg = new Int32Array(model.personIds.length).fill(-1);
  const byValue = (members: readonly number[]): number[] =>
    [...members].sort(
      (a, b) =>
        Number(model.personKind[a] === 1) - Number(model.personKind[b] === 1) ||
        model.personValue[b]! - model.personValue[a]! ||
        a - b,
    );
  /** Members of g that fit in `room` on leg l, adults first; lap infants only with an adult. */
  const pick = (
    members: readonly number[],
    l: number,
    room: number[],
  ): { chosen: number[]; value: number } => {
    const left = [...room];
    const chosen: number[] = [];
    let value = 0;
    let adults = 0;
    for (const p of members) {
      const kind = model.personKind[p]!;
      if (left[kind]! <= 0 || !model.personLegs[p]!.includes(l) || (kind === 1 && adults === 0)) continue;
      left[kind]! -= 1;
      chosen.push(p);
      value += model.personValue[p]!;
      if (kind !== 1) adults += 1;
    }
    return { chosen, value };
  };
  const splittable = households
    .filter((h) => h.splittable && householdLeg[h.index]! < 0)
    .sort((a, b) => b.value - a.value || a.index - b.index);
  for (const household of splittable) {
    let members = byValue(household.members);
    let placedAny = false;
    // Into the places left, as few legs as possible.
    while (members.length > 0) {
      let best: { chosen: number[]; value: number; leg: number } | null = null;
      const legs = new Set(members.flatMap((p) => model.personLegs[p]!));
      for (const l of legs) {
        const option = pick(members, l, [free[3 * l]!, free[3 * l + 1]!, free[3 * l + 2]!]);
        if (option.chosen.length > 0 && (!best || option.value > best.value)) best = { ...option, leg: l };
      }
      if (!best || (!placedAny && best.value <= SPLIT_PENALTY)) break;
      for (const p of best.chosen) {
        splitLeg[p] = best.leg;
        free[3 * best.leg + model.personKind[p]!]! -= 1;
      }
      placedAny = true;
      members = members.filter((p) => splitLeg[p]! < 0);
    }
    if (placedAny) continue;
    // In the places of a less valuable household.
    let best: { chosen: number[]; gain: number; leg: number; victim: number } | null = null;
    for (const l of new Set(members.flatMap((p) => model.personLegs[p]!))) {
      for (const h of onLeg[l]!) {
        const victim = households[h]!;
        if (victim.pinned >= 0 || victim.value >= household.value) continue;
        const room = [0, 1, 2].map((k) => free[3 * l + k]! + victim.need[k]!);
        const option = pick(members, l, room);
        const gain = option.value - victim.value - SPLIT_PENALTY;
        if (option.chosen.length > 0 && gain > 0 && (!best || gain > best.gain))
          best = { chosen: option.chosen, gain, leg: l, victim: h };
      }
    }
    if (!best) continue;
    remove(best.victim);
    for (const p of best.chosen) {
      splitLeg[p] = best.leg;
      free[3 * best.leg + model.personKind[p]!]! -= 1;
    }
    tryInsert(best.victim, []);
  }

  const legOf = new Int32Array(model.personIds.length).fill(-1);
  for (const household of households) {
    const l = householdLeg[household.index]!;
    for (const p of household.members) legOf[p] = l >= 0 ? l : splitLeg[p]!;
  }
  return legOf;
}
