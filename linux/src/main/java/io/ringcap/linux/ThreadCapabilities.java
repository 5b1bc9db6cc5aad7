package io.ringcap.linux;

/**
 * The capabilities /proc/self/task/&lt;tid&gt;/status shows for one thread.
 *
 * @param threadId  the kernel thread id
 * @param name      the thread's name (the JVM names its threads, e.g. "C2 CompilerThre")
 * @param effective the CapEff mask
 * @param permitted the CapPrm mask
 */
public record ThreadCapabilities(int threadId, String name, long effective, long permitted) {
    /** Whether the thread holds any effective or permitted capability. */
    public boolean holdsAny() {
        return effective != 0 || permitted != 0;
    }

    @Override
    public String toString() {
        return "tid " + threadId + " (" + name + ") CapEff=" + Long.toHexString(effective)
            + " CapPrm=" + Long.toHexString(permitted);
    }
}
