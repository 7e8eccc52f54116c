// ECharts with only what the console draws: the entry of vendor/echarts/echarts.min.js (see
// build.mjs and vendor/echarts/README.md). Keep it in step with the options src/charts/options.rs
// builds with charming, which serialises only the fields a chart sets:
//
//   donut           series pie,  legend, tooltip (trigger item)
//   histogram       series bar,  grid (containLabel), xAxis/yAxis, legend, tooltip (trigger axis)
//   stacked_bars    series bar,  the same
//   stacked_areas   series line, the same (areaStyle, stack)
//
// A series type or component missing here is silently not drawn by this production build; the
// development build (`node build.mjs --dev DIR`) logs "… is used but not imported" instead.

import { use, init, dispose, getInstanceByDom, getInstanceById, version } from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
// The legend the options ask for is the plain one (no `type: 'scroll'`). The tooltip brings the
// axis pointer that `trigger: 'axis'` draws.
import { GridComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components';
// ECharts 6 lays out `grid.containLabel: true` (charming's `Grid::contain_label`) as ECharts 5
// did only with this feature; without it, it falls back to `outerBounds`, which places the axes
// differently.
import { LegacyGridContainLabel } from 'echarts/features';
// `echarts.init` without a `renderer` option draws on a canvas.
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, LegendPlainComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer]);

// The global `echarts`: charming's WasmRenderer calls `echarts.init`, then the instance's
// `setOption` and `resize`; the console calls the instance's `on` and `dispose`; the Playwright
// tests (end2end/tests/charts.ts) read charts through `echarts.getInstanceByDom`.
export { version, init, dispose, getInstanceByDom, getInstanceById, use };
