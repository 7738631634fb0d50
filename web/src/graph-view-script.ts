// The graph view as a classic script of its own (assets/graph-view.js, with Graphviz): the page
// adds it when the view is first opened, and it hands openGraphView to the page.
import { openGraphView } from './graph-view';

(
  self as unknown as { maskgradGraphView: { openGraphView: typeof openGraphView } }
).maskgradGraphView = { openGraphView };
