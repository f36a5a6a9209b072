// `npm start`: install what is missing, build, then run the demo (scripts/demo.mjs).
import { build } from './build.mjs';
import { demo } from './demo.mjs';
import { runIfMain, setup } from './setup.mjs';

runIfMain(import.meta.url, async () => {
  await setup();
  await build();
  await demo();
});
