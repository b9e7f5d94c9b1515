// handlebars ships runtime.d.ts as a global `declare module` that NodeNext resolution misses.
declare module 'handlebars/runtime' {
  import Handlebars from 'handlebars';
  export default Handlebars;
}
