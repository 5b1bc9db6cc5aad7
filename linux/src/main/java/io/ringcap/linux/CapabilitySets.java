package io.ringcap.linux;

/**
 * One thread's capability sets as bit masks: bit {@code n} is capability {@code n}
 * ({@code CapabilityLayouts.CAP_*}).
 *
 * @param effective   what the thread can do now
 * @param permitted   what it may make effective
 * @param inheritable what may pass across execve
 */
public record CapabilitySets(long effective, long permitted, long inheritable) {
    /** Whether {@code capability} is in the effective set. */
    public boolean hasEffective(int capability) {
        return (effective >>> capability & 1) != 0;
    }
}
