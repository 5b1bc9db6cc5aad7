package io.ringcap.cli;

import java.util.Locale;

/**
 * One line of {@code ringcap doctor}: what was checked, how it stands, what was found and what to do.
 *
 * @param check  short name, e.g. "isolcpus", "memlock".
 * @param status ok, warn (capture works, latency or accuracy suffer) or fail (something ringcap needs is broken).
 * @param found  what the host has, in words.
 * @param fix    what to do about a warn or fail; empty when ok.
 */
record DoctorCheck(String check, Status status, String found, String fix) {
    enum Status { OK, WARN, FAIL }

    static DoctorCheck ok(String check, String found) {
        return new DoctorCheck(check, Status.OK, found, "");
    }

    static DoctorCheck warn(String check, String found, String fix) {
        return new DoctorCheck(check, Status.WARN, found, fix);
    }

    static DoctorCheck fail(String check, String found, String fix) {
        return new DoctorCheck(check, Status.FAIL, found, fix);
    }

    /** e.g. {@code warn isolcpus        not set -> fix: add isolcpus=2-3 ...}. */
    String line() {
        return String.format(Locale.ROOT, "%-4s %-15s %s%s", status.name().toLowerCase(Locale.ROOT), check, found,
            fix.isEmpty() ? "" : " -> fix: " + fix);
    }
}
