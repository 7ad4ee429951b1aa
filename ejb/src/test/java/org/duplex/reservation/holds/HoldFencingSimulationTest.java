package org.duplex.reservation.holds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.duplex.reservation.holds.HoldRecord.Phase;
import org.junit.jupiter.api.Test;

/**
 * The hold fence of docs/holds.md under every interleaving a seeded scheduler finds: node-a, primary at
 * epoch 1, places holds and reserves while node-b is promoted to epoch 2 at a random moment and then
 * places, reserves and voids; node-a's steps go on after the promotion as a paused node's would after it
 * resumes. The cache is a map with atomic conditional writes (what the key's primary owner gives), the
 * stores one linearizable state (any two majorities intersect). After every step: reserved + LIVE held
 * never exceeds the capacity. At the end: every acknowledged hold is LIVE, and none of node-a's was proven
 * primary after the promotion. A failing seed replays exactly.
 */
class HoldFencingSimulationTest {

    private static final int CAPACITY = 10;

    @Test
    void noInterleavingOfPromotionAndPlacementsOverbooksOrLosesAnAcknowledgedHold() {
        for (long seed = 1; seed <= 2_000; seed++) {
            try {
                new World(seed).run();
            } catch (AssertionError e) {
                fail("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** One run: the shared state and the processes of both nodes. */
    private static final class World {
        final Random random;
        final Map<String, HoldRecord> cache = new HashMap<>();
        final Map<String, HoldRecord> answers = new HashMap<>();
        long reserved;
        long stateEpoch = 1;
        String statePrimary = "node-a";
        long promotedAtStep = -1;
        long step;
        final Map<String, Object> gateHolder = new HashMap<>();
        final List<Placer> placers = new ArrayList<>();
        final List<Process> processes = new ArrayList<>();

        World(long seed) {
            random = new Random(seed);
            int n = 0;
            List<Placer> first = new ArrayList<>();
            for (int i = 0; i < 2 + random.nextInt(5); i++) {
                first.add(placer("node-a", 1, "a" + n++));
            }
            processes.addAll(first);
            for (int i = 0; i < random.nextInt(3); i++) {
                processes.add(new Reserve("node-a", 1 + random.nextInt(3)));
            }
            processes.add(new Promotion());
            for (int i = 0; i < random.nextInt(4); i++) {
                processes.add(placer("node-b", 2, "b" + n++));
            }
            for (Placer original : first) {
                if (random.nextBoolean()) {
                    Placer resend = new Placer("node-b", 2, original.id, original.quantity, true);
                    placers.add(resend);
                    processes.add(resend);
                }
            }
            for (int i = 0; i < random.nextInt(3); i++) {
                processes.add(new Reserve("node-b", 1 + random.nextInt(3)));
            }
            for (int i = 0; i < 3; i++) {
                processes.add(new Sweep());
            }
        }

        Placer placer(String node, long belief, String id) {
            Placer p = new Placer(node, belief, id, 1 + random.nextInt(3), false);
            placers.add(p);
            return p;
        }

        void run() {
            while (true) {
                List<Process> runnable = processes.stream().filter(p -> !p.done() && p.canRun()).toList();
                if (runnable.isEmpty()) {
                    break;
                }
                runnable.get(random.nextInt(runnable.size())).step();
                step++;
                long live = cache.values().stream().filter(r -> r.phase() == Phase.LIVE).mapToLong(HoldRecord::quantity).sum();
                assertTrue(reserved + live <= CAPACITY, "reserved " + reserved + " + live " + live + " > " + CAPACITY);
            }
            for (Placer p : placers) {
                if (p.acked) {
                    HoldRecord r = cache.get(p.id);
                    assertTrue(r != null && r.phase() == Phase.LIVE, "acknowledged hold " + p.id + " is " + r);
                    assertEquals(p.ackedAs, r, "hold " + p.id + " was acknowledged as another hold than the one live");
                    assertEquals(r, answers.get(p.id), "the answer of acknowledged hold " + p.id);
                    if (p.node.equals("node-a")) {
                        assertTrue(promotedAtStep < 0 || p.checkedAtStep < promotedAtStep,
                                "node-a proved itself primary at step " + p.checkedAtStep + ", after the promotion at "
                                        + promotedAtStep);
                    }
                }
            }
            assertEquals(0, processes.stream().filter(p -> !p.done()).count(), "a process never finished");
        }

        boolean gateFree(String node, Object who) {
            Object holder = gateHolder.get(node);
            return holder == null || holder == who;
        }

        long held() {
            return HoldRules.heldUnits(cache.values(), "room");
        }

        abstract class Process {
            boolean finished;
            /** The node it runs on, or null for the promotion and the sweeps. */
            String node;

            boolean done() {
                return finished;
            }

            boolean canRun() {
                return true;
            }

            abstract void step();
        }

        /** A request on one node: node-b serves nothing before its promotion, and each waits for its node's gate. */
        abstract class OnNode extends Process {
            @Override
            boolean canRun() {
                return (node.equals("node-a") || promotedAtStep >= 0) && gateFree(node, this);
            }
        }

        /**
         * Holds.hold: a resend first decides what it met (HoldRules.forHold); then Holds.place: count under the
         * gate, PENDING, the stores' check, the answer written beside the conditional step to LIVE (two steps in
         * either order), then the answer taken back if the step lost (unless the placer dies first) or a stale
         * one replaced if it won.
         */
        final class Placer extends OnNode {
            final long belief;
            final String id;
            final int quantity;
            final boolean resend;
            final boolean answerFirst;
            final boolean diesAfterLosing;
            int stage;
            HoldRecord pending;
            HoldRecord live;
            HoldRecord answerFound;
            boolean answerWritten;
            boolean isLive;
            boolean acked;
            HoldRecord ackedAs;
            long checkedAtStep = -1;

            Placer(String node, long belief, String id, int quantity, boolean resend) {
                this.node = node;
                this.belief = belief;
                this.id = id;
                this.quantity = quantity;
                this.resend = resend;
                this.answerFirst = random.nextBoolean();
                this.diesAfterLosing = random.nextInt(4) == 0;
            }

            @Override
            void step() {
                switch (stage++) {
                    case 0 -> {
                        gateHolder.put(node, this);
                        if (resend && !placeAfterResend()) {
                            end();
                        } else if (!HoldRules.fits(CAPACITY, reserved, held(), quantity)) {
                            end();
                        }
                    }
                    case 1 -> {
                        pending = new HoldRecord(id, "c", id, "room", quantity, Long.MAX_VALUE, belief, node, step,
                                Phase.PENDING, null);
                        live = pending.inPhase(Phase.LIVE, null);
                        cache.putIfAbsent(id, pending);
                    }
                    case 2 -> {
                        if (!(statePrimary.equals(node) && stateEpoch == belief)) {
                            cache.remove(id, pending);
                            end();
                        }
                        checkedAtStep = step;
                    }
                    case 3, 4 -> {
                        if ((stage == 4) == answerFirst) {
                            answerFound = answers.putIfAbsent(id, live);
                            answerWritten = true;
                        } else {
                            isLive = cache.replace(id, pending, live);
                        }
                    }
                    default -> {
                        if (!isLive) {
                            if (!diesAfterLosing) {
                                answers.remove(id, live);
                            }
                        } else {
                            switch (HoldRules.answerFound(answerFound, live)) {
                                case NONE -> acknowledge(live);
                                case STALE -> {
                                    if (answers.replace(id, answerFound, live)) {
                                        acknowledge(live);
                                    }
                                }
                                case CLOSED -> {
                                    // not acknowledged
                                }
                            }
                        }
                        end();
                    }
                }
            }

            /** What a resend met; true when it places the hold anew. */
            boolean placeAfterResend() {
                HoldRules.Verdict v = HoldRules.forHold(cache.get(id), answers.get(id), "room", quantity, node, belief,
                        step);
                if (v instanceof HoldRules.VoidFirst first) {
                    assertTrue(HoldRules.voidable(first.pending(), node, belief, step));
                    cache.remove(id, first.pending());
                    v = HoldRules.forHold(cache.get(id), answers.get(id), "room", quantity, node, belief, step);
                }
                if (v instanceof HoldRules.Answer a) {
                    assertEquals(Phase.LIVE, a.record().phase(), "nothing expires or closes here: " + a.record());
                    // Holds.acknowledge: the answer written or a stale one replaced, then acknowledged
                    HoldRecord answer = answers.get(id);
                    if (answer == null) {
                        answers.put(id, a.record());
                        acknowledge(a.record());
                    } else if (answer.equals(a.record())
                            || HoldRules.answerFound(answer, a.record()) == HoldRules.AnswerFound.STALE
                            && answers.replace(id, answer, a.record())) {
                        acknowledge(a.record());
                    }
                    return false;
                }
                return v instanceof HoldRules.Place;
            }

            void acknowledge(HoldRecord as) {
                acked = true;
                ackedAs = as;
            }

            void end() {
                gateHolder.remove(node);
                finished = true;
            }
        }

        /** A reserve: fenced by the stores, counting held units under the gate, atomic against a promotion. */
        final class Reserve extends OnNode {
            final int quantity;

            Reserve(String node, int quantity) {
                this.node = node;
                this.quantity = quantity;
            }

            @Override
            void step() {
                if (statePrimary.equals(node) && HoldRules.fits(CAPACITY, reserved, held(), quantity)) {
                    reserved += quantity;
                }
                finished = true;
            }
        }

        /** The change of state: node-b primary at epoch 2 in a majority. */
        final class Promotion extends Process {
            @Override
            void step() {
                stateEpoch = 2;
                statePrimary = "node-b";
                promotedAtStep = step;
                finished = true;
            }
        }

        /** node-b's sweeper after its promotion: voids every PENDING entry it may. */
        final class Sweep extends Process {
            @Override
            boolean canRun() {
                return promotedAtStep >= 0;
            }

            @Override
            void step() {
                for (HoldRecord r : List.copyOf(cache.values())) {
                    if (HoldRules.voidable(r, "node-b", 2, step)) {
                        cache.remove(r.id(), r);
                    }
                }
                finished = true;
            }
        }
    }
}
