/**
 * What a nemesis run looked like to the clients: acknowledged writes per second, the longest time
 * without one, and the fault intervals beside them, computed purely ({@link WriteTimeline}) and drawn
 * as a PNG ({@link TimelineChart}). It judges nothing and never reads a store.
 */
package org.duplex.checker.timeline;
