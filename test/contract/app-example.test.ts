// Runs examples/app-test (an app module and its test on maas/msw) with the rest of the suite: vitest only collects
// test/**, and the example keeps its test next to the code it tests, as an app would.
import '../../examples/app-test/app.test.js';
