// A typedoc plugin for docs/typedoc.json. That config turns on typedoc's comment checks for
// declaration files (suppressCommentWarningsInDeclarationFiles: false), since our API lives in
// pkg-template/index.d.ts. Those checks also reach TypeScript's own lib files: at every
// reference to `Promise` typedoc reads its doc comment (to see whether it is marked @inline)
// and warns that the lib declares it twice with a comment. `Promise` is never to be inlined,
// so it is ruled out before that lookup.
import { Converter } from "typedoc";

/** Called by typedoc when it loads the plugin. */
export function load(app) {
  app.converter.on(Converter.EVENT_BEGIN, (context) => {
    context.preventInline.add("Promise");
  });
}
