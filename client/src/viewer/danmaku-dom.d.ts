// The DOM-only build of the `danmaku` renderer (smaller than the full one, which
// also bundles the canvas engine). The package ships types for its main entry only.
declare module 'danmaku/dist/esm/danmaku.dom.js' {
  import Danmaku from 'danmaku';
  export default Danmaku;
}
