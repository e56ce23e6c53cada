/** Reading `danmaku:batch` packets as raw bytes, so 5,000 viewers cost the generator little. */
const BATCH_TAG = Buffer.from('"danmaku:batch"');
const ID_TAG = Buffer.from('"id":');

/** Whether a raw `42["danmaku:batch",…]` packet is a batch frame (the name starts at byte 3). */
export function isBatch(data: Buffer): boolean {
  return data.compare(BATCH_TAG, 0, BATCH_TAG.length, 3, 3 + BATCH_TAG.length) === 0;
}

/** Items in a batch frame, counted as occurrences of `"id":` (no JSON.parse). */
export function countItems(data: Buffer): number {
  let n = 0;
  let at = data.indexOf(ID_TAG, 0);
  while (at !== -1) {
    n++;
    at = data.indexOf(ID_TAG, at + ID_TAG.length);
  }
  return n;
}
