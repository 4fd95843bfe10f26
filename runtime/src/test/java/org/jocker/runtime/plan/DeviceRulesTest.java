package org.jocker.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jocker.runtime.spec.DefaultSpec;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;

/** The device rules completed for a spec: its own first, then access to the default devices (runc 1.1's). */
class DeviceRulesTest {
  private static final Spec.DeviceRule DENY_ALL = new Spec.DeviceRule(false, "a", null, null, "rwm");

  private static Spec spec(List<Spec.Device> devices, List<Spec.DeviceRule> rules) {
    Spec base = DefaultSpec.create(List.of("true"), false);
    Spec.Linux l = base.linux();
    Spec.Linux linux = new Spec.Linux(l.namespaces(), null, null, devices,
        null, new Spec.Resources(rules, null, null, null, null, null), null, null, null, null, null, null);
    return new Spec(base.ociVersion(), base.process(), base.root(), null, null, base.mounts(), null, null, linux);
  }

  @Test
  void aDeviceWithoutARuleOfItsOwnGetsNone() {
    Spec.Device fuse = new Spec.Device("c", "/dev/fuse", 10L, 229L, 0600, 0L, 0L);
    List<Spec.DeviceRule> rules = DeviceRules.complete(spec(List.of(fuse), List.of(DENY_ALL))).devices();
    assertThat(rules.getFirst()).isEqualTo(DENY_ALL);
    assertThat(rules).contains(new Spec.DeviceRule(true, "c", 1L, 3L, "rwm"))
        .noneMatch(rule -> Long.valueOf(10L).equals(rule.major()));
  }

  @Test
  void aDeviceTheSpecGivesARuleKeepsThatRulesAccess() {
    Spec.Device fuse = new Spec.Device("c", "/dev/fuse", 10L, 229L, 0600, 0L, 0L);
    Spec.DeviceRule readOnly = new Spec.DeviceRule(true, "c", 10L, 229L, "r");
    List<Spec.DeviceRule> rules = DeviceRules.complete(spec(List.of(fuse), List.of(DENY_ALL, readOnly))).devices();
    assertThat(rules).contains(readOnly).doesNotContain(new Spec.DeviceRule(true, "c", 10L, 229L, "rwm"));
    assertThat(rules).contains(new Spec.DeviceRule(true, "c", 1L, 3L, "rwm")); // the defaults keep theirs
  }

  @Test
  void aDefaultDeviceTheSpecRedefinesLosesItsAutomaticRule() {
    Spec.Device ownNull = new Spec.Device("c", "/dev/null", 1L, 3L, 0600, 0L, 0L);
    List<Spec.DeviceRule> rules = DeviceRules.complete(spec(List.of(ownNull), List.of(DENY_ALL))).devices();
    assertThat(rules).doesNotContain(new Spec.DeviceRule(true, "c", 1L, 3L, "rwm"))
        .contains(new Spec.DeviceRule(true, "c", 1L, 5L, "rwm"));
  }

  @Test
  void fifosAndUnbufferedDevicesGetNoRuleEither() {
    Spec.Device fifo = new Spec.Device("p", "/dev/fifo", 0L, 0L, 0600, 0L, 0L);
    Spec.Device unbuffered = new Spec.Device("u", "/dev/fuse", 10L, 229L, 0600, 0L, 0L);
    List<Spec.DeviceRule> rules =
        DeviceRules.complete(spec(List.of(fifo, unbuffered), List.of(DENY_ALL))).devices();
    assertThat(rules).extracting(Spec.DeviceRule::type).containsOnly("a", "b", "c");
    assertThat(rules).noneMatch(rule -> Long.valueOf(10L).equals(rule.major()));
  }
}
