package org.jocker.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Formats as users pass them to docker inspect / ps --format, against docker-inspect-like JSON. */
class GoTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A trimmed `docker inspect` of one running container. */
  private static final JsonNode CONTAINER = parse("""
      {
        "Id": "3f4e2a1b9c8d",
        "Name": "/web",
        "RestartCount": 0,
        "Args": ["-g", "daemon off;"],
        "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 1234,
                  "ExitCode": 0, "StartedAt": "2024-05-01T10:00:00Z", "Health": null},
        "Config": {
          "Hostname": "3f4e2a1b9c8d",
          "Env": ["PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.25.4"],
          "Cmd": ["nginx", "-g", "daemon off;"],
          "Labels": {"com.example.team": "web", "maintainer": "NGINX <docker@nginx.com>"},
          "Volumes": null,
          "Tty": false
        },
        "NetworkSettings": {
          "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]},
          "Networks": {
            "bridge": {"IPAddress": "172.17.0.2", "Gateway": "172.17.0.1", "MacAddress": "02:42:ac:11:00:02"},
            "backend": {"IPAddress": "10.0.0.5", "Gateway": "10.0.0.1", "MacAddress": "02:42:0a:00:00:05"}
          }
        },
        "Mounts": [
          {"Type": "bind", "Source": "/srv/www", "Destination": "/usr/share/nginx/html", "RW": false},
          {"Type": "volume", "Name": "logs", "Source": "/var/lib/docker/volumes/logs/_data", "Destination": "/var/log/nginx", "RW": true}
        ],
        "HostConfig": {"Memory": 0, "CpuShares": 512, "NanoCpus": 1.5e9, "Dns": []},
        "SizeRootFs": 187.5
      }
      """);

  @ParameterizedTest(name = "{0}")
  @MethodSource("inspectFormats")
  void inspectFormat(String format, String expected) {
    assertThat(GoTemplate.parseInspect(format).execute(CONTAINER)).isEqualTo(expected);
  }

  static Stream<Arguments> inspectFormats() {
    return cases(
        // Fields, chains, map keys and dot.
        "{{.Id}}", "3f4e2a1b9c8d",
        "{{.State.Pid}}", "1234",
        "{{.State.Running}} {{.State.Paused}}", "true false",
        "{{.Config.Labels.maintainer}}", "NGINX <docker@nginx.com>",
        "{{.NetworkSettings.Networks.bridge.IPAddress}}", "172.17.0.2",
        "{{.State.Status}}/{{.State.ExitCode}}", "running/0",
        "{{.HostConfig.NanoCpus}} {{.SizeRootFs}}", "1500000000 187.5",
        "{{.Nope}}", "<no value>",
        "{{.Nope.Deeper}}", "<no value>",
        "{{.Config.Volumes}}", "<no value>",
        "{{.Args}}", "[-g daemon off;]",
        "{{.Config.Labels}}", "map[com.example.team:web maintainer:NGINX <docker@nginx.com>]",
        "{{.NetworkSettings.Ports}}", "map[80/tcp:[map[HostIp:0.0.0.0 HostPort:8080]]]",
        "{{with .State}}{{.}}{{end}}",
            "map[ExitCode:0 Health:<nil> Paused:false Pid:1234 Running:true StartedAt:2024-05-01T10:00:00Z Status:running]",
        "{{$.Name}}", "/web",
        // index.
        "{{index .Config.Labels \"com.example.team\"}}", "web",
        "{{index .Config.Labels \"missing\"}}", "<no value>",
        "{{index .Config.Env 1}}", "NGINX_VERSION=1.25.4",
        "{{index .NetworkSettings.Ports \"80/tcp\" 0 \"HostPort\"}}", "8080",
        "{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}", "8080",
        "{{(index .Mounts 1).Name}}", "logs",
        // Docker's functions.
        "{{json .State.Pid}}", "1234",
        "{{json .Config.Labels}}", "{\"com.example.team\":\"web\",\"maintainer\":\"NGINX <docker@nginx.com>\"}",
        "{{json .Mounts}}",
            "[{\"Type\":\"bind\",\"Source\":\"/srv/www\",\"Destination\":\"/usr/share/nginx/html\",\"RW\":false},"
                + "{\"Type\":\"volume\",\"Name\":\"logs\",\"Source\":\"/var/lib/docker/volumes/logs/_data\","
                + "\"Destination\":\"/var/log/nginx\",\"RW\":true}]",
        "{{json .Nope}}", "null",
        "{{json .HostConfig}}", "{\"Memory\":0,\"CpuShares\":512,\"NanoCpus\":1500000000,\"Dns\":[]}",
        "{{json .SizeRootFs}} {{json .Config.Volumes}}", "187.5 null",
        "{{json .Name}}", "\"/web\"",
        "{{join .Config.Cmd \" \"}}", "nginx -g daemon off;",
        "{{join .Config.Env \",\"}}", "PATH=/usr/local/bin:/usr/bin,NGINX_VERSION=1.25.4",
        "{{upper .State.Status}} {{lower \"ABC\"}} {{title \"hello big world\"}}", "RUNNING abc Hello Big World",
        "{{split \"a:b::c\" \":\"}}", "[a b  c]",
        "{{index (split (index .Config.Env 1) \"=\") 1}}", "1.25.4",
        "{{len .Config.Env}} {{len .Config.Labels}} {{len .Name}}", "2 2 4",
        "{{pad .State.Status 2 1}}|{{truncate .Id 4}}", "  running |3f4e",
        "{{.Name | printf \"%q\"}}", "\"/web\"",
        "{{printf \"%s has pid %d (%v) %t\" .Name .State.Pid .Args .State.Running}}",
            "/web has pid 1234 ([-g daemon off;]) true",
        "{{printf \"%-6s|%5d|%05d|%.2f|%x|%%\" \"ab\" 42 -7 3.14159 255}}", "ab    |   42|-0007|3.14|ff|%",
        "{{printf \"%d\" .Name}}", "%!d(string=/web)",
        "{{printf \"%s %s\" .Name}}", "/web %!s(MISSING)",
        "{{printf \"%s\" .Name 1}}", "/web%!(EXTRA int=1)",
        "{{println .Name .State.Pid}}", "/web 1234\n",
        "{{print \"a\" 1 2 \"b\"}}", "a1 2b",
        // Pipelines.
        "{{.State.Status | upper | printf \"[%s]\"}}", "[RUNNING]",
        "{{.Config.Env | len}}", "2",
        // Control.
        "{{range .Config.Env}}{{.}};{{end}}", "PATH=/usr/local/bin:/usr/bin;NGINX_VERSION=1.25.4;",
        "{{range $i, $e := .Config.Cmd}}{{$i}}={{$e}} {{end}}", "0=nginx 1=-g 2=daemon off; ",
        "{{range $name, $net := .NetworkSettings.Networks}}{{$name}}:{{$net.IPAddress}} {{end}}",
            "backend:10.0.0.5 bridge:172.17.0.2 ",
        "{{range .NetworkSettings.Networks}}{{.Gateway}} {{end}}", "10.0.0.1 172.17.0.1 ",
        "{{range .Mounts}}{{.Source}}:{{.Destination}}:{{if .RW}}rw{{else}}ro{{end}} {{end}}",
            "/srv/www:/usr/share/nginx/html:ro /var/lib/docker/volumes/logs/_data:/var/log/nginx:rw ",
        "{{range .HostConfig.Dns}}{{.}}{{else}}no dns{{end}}", "no dns",
        "{{range .Config.Volumes}}x{{else}}none{{end}}", "none",
        "{{range .Config.Cmd}}{{if eq . \"-g\"}}{{continue}}{{end}}{{if eq . \"x\"}}{{break}}{{end}}{{.}},{{end}}",
            "nginx,daemon off;,",
        "{{range 3}}{{.}}{{end}}", "012",
        "{{if .State.Running}}up{{else}}down{{end}}", "up",
        "{{if .State.Paused}}paused{{else if .State.Running}}running{{else}}stopped{{end}}", "running",
        "{{if .RestartCount}}restarted{{else}}fresh{{end}}", "fresh",
        "{{if .HostConfig.Dns}}dns{{else}}no{{end}} {{if .Config.Labels}}labels{{end}} {{if .Nope}}x{{else}}y{{end}}",
            "no labels y",
        "{{if \"\"}}a{{else}}b{{end}}{{if 0}}a{{else}}b{{end}}{{if .Config.Volumes}}a{{else}}b{{end}}", "bbb",
        "{{with .State.Health}}{{.Status}}{{else}}no healthcheck{{end}}", "no healthcheck",
        "{{with .NetworkSettings.Networks.bridge}}{{.IPAddress}} via {{.Gateway}}{{end}}", "172.17.0.2 via 172.17.0.1",
        "{{with $n := .Name}}{{$n}}{{end}}", "/web",
        "{{$pid := .State.Pid}}{{$pid}} {{$pid = 7}}{{$pid}}", "1234 7",
        // Comparisons and logic.
        "{{eq .State.Status \"running\"}} {{ne .State.Pid 1234}} {{eq .State.Status \"exited\" \"running\"}}",
            "true false true",
        "{{lt .State.Pid 2000}} {{ge .HostConfig.CpuShares 1024}} {{gt \"b\" \"a\"}}", "true false true",
        "{{not .State.Running}} {{and .State.Running .State.Pid}} {{or .State.Paused .Config.Env}}",
            "false 1234 [PATH=/usr/local/bin:/usr/bin NGINX_VERSION=1.25.4]",
        "{{and .State.Paused .Nope.Nope}} {{or .Nope \"fallback\"}}", "false fallback",
        "{{if and .State.Running (eq .State.ExitCode 0)}}healthy{{end}}", "healthy",
        // Trimming, comments, literals.
        "a  {{- .State.Pid -}}  b", "a1234b",
        "{{range .Config.Cmd -}}\n  {{.}}\n{{- end}}", "nginx-gdaemon off;",
        "x{{/* a comment */}}y{{- /* trimmed */ -}} z", "xyz",
        "{{-3}} {{0x1F}} {{'a'}} {{1.5}} {{1e6}} {{`raw\\t`}} {{\"tab\\there\"}} {{true}}",
            "-3 31 97 1.5 1000000 raw\\t tab\there true");
  }

  @Test
  void dotIsTheWholeObject() {
    JsonNode data = parse("{\"b\": [1, 2.5, null], \"a\": {\"x\": true}}");
    assertThat(GoTemplate.parseInspect("{{.}}").execute(data)).isEqualTo("map[a:map[x:true] b:[1 2.5 <nil>]]");
  }

  @Test
  void inspectKeepsBackslashSequencesAsWritten() {
    assertThat(GoTemplate.parseInspect("{{.Name}}\\t{{.State.Pid}}").execute(CONTAINER)).isEqualTo("/web\\t1234");
  }

  // ---- docker ps / images style list formats ------------------------------------------------

  private static final JsonNode PS_ROW = parse("""
      {"ID": "3f4e2a1b9c8d", "Image": "nginx:1.25", "Command": "\\"nginx -g 'daemon of…\\"",
       "CreatedSince": "2 hours ago", "Status": "Up 2 hours", "Ports": "0.0.0.0:8080->80/tcp",
       "Names": "web", "Labels": "com.example.team=web", "Size": "1.09kB (virtual 187MB)"}
      """);

  private static final Map<String, String> PS_HEADERS = headers(
      "ID", "CONTAINER ID", "Image", "IMAGE", "Command", "COMMAND", "CreatedSince", "CREATED",
      "Status", "STATUS", "Ports", "PORTS", "Names", "NAMES", "Labels", "LABELS", "Size", "SIZE");

  @Test
  void tableFormatRendersHeaderAndRows() {
    GoTemplate template = GoTemplate.parse("table {{.ID}}\\t{{.Names}}\\t{{.CreatedSince}}");
    assertThat(template.isTable()).isTrue();
    assertThat(template.header(PS_HEADERS)).isEqualTo("CONTAINER ID\tNAMES\tCREATED");
    assertThat(template.execute(PS_ROW)).isEqualTo("3f4e2a1b9c8d\tweb\t2 hours ago");
  }

  @Test
  void headerPassesDockerFunctionsThrough() {
    GoTemplate template = GoTemplate.parse("table {{upper .Names}}\\t{{json .Labels}}|{{truncate .ID 4}}\\t{{.Missing}}");
    assertThat(template.header(PS_HEADERS)).isEqualTo("NAMES\t|CONTAINER ID\t<no value>");
    assertThat(template.execute(PS_ROW)).isEqualTo("WEB\t\"com.example.team=web\"|3f4e\t<no value>");
  }

  @Test
  void headerKeepsWhatWasPrintedBeforeAFailure() {
    GoTemplate template = GoTemplate.parse("table {{.Names}}\\t{{.Names.Inner}}\\t{{.ID}}");
    assertThat(template.header(PS_HEADERS)).isEqualTo("NAMES\t");
  }

  @Test
  void listFormatWithoutTableTurnsBackslashEscapesIntoTabsAndNewlines() {
    GoTemplate template = GoTemplate.parse("  {{.Names}}\\t{{.Status}}\\n{{.Ports}}  ");
    assertThat(template.isTable()).isFalse();
    assertThat(template.execute(PS_ROW)).isEqualTo("web\tUp 2 hours\n0.0.0.0:8080->80/tcp");
  }

  @Test
  void unicodeAndQuotesSurviveJsonAndPrintf() {
    assertThat(GoTemplate.parse("{{.Command}}").execute(PS_ROW)).isEqualTo("\"nginx -g 'daemon of…\"");
    assertThat(GoTemplate.parse("{{printf \"%q\" .Command}}").execute(PS_ROW)).isEqualTo("\"\\\"nginx -g 'daemon of…\\\"\"");
    assertThat(GoTemplate.parse("{{json .Command}}").execute(PS_ROW)).isEqualTo("\"\\\"nginx -g 'daemon of…\\\"\"");
  }

  // ---- errors ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("parseErrors")
  void parseError(String format, String message) {
    assertThatThrownBy(() -> GoTemplate.parseInspect(format))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> parseErrors() {
    return cases(
        "{{foo .Name}}", "template parsing error: template: :1: function \"foo\" not defined",
        "{{.Name", "template parsing error: template: :1: unclosed action",
        "{{if .State.Running}}up", "template parsing error: template: :1: unexpected EOF",
        "{{end}}", "template parsing error: template: :1: unexpected {{end}}",
        "{{else}}", "template parsing error: template: :1: unexpected {{else}}",
        "{{}}", "template parsing error: template: :1: missing value for command",
        "{{if}}x{{end}}", "template parsing error: template: :1: missing value for if",
        "line one\n{{.Name @}}", "template parsing error: template: :2: bad character U+0040 '@'",
        "{{\"abc}}", "template parsing error: template: :1: unterminated quoted string",
        "{{$x}}", "template parsing error: template: :1: undefined variable \"$x\"",
        "{{with $x := .Name}}{{end}}{{$x}}", "template parsing error: template: :1: undefined variable \"$x\"",
        "{{(.Name}}", "template parsing error: template: :1: unclosed left paren",
        "{{.Name)}}", "template parsing error: template: :1: unexpected right paren",
        "{{.Name | }}", "template parsing error: template: :1: empty command",
        "{{.Name | \"x\"}}", "template parsing error: template: :1: non executable command in pipeline stage 2",
        "{{break}}", "template parsing error: template: :1: {{break}} outside {{range}}",
        "{{/* open", "template parsing error: template: :1: unclosed comment",
        "{{3x}}", "template parsing error: template: :1: bad number syntax: \"3x\"",
        "{{template \"x\"}}", "template parsing error: template: :1: {{template}} is not supported",
        "{{range .A}}{{else}}{{else}}{{end}}", "template parsing error: template: :1: expected end; found {{else}}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("executionErrors")
  void executionError(String format, String message) {
    GoTemplate template = GoTemplate.parseInspect(format);
    assertThatThrownBy(() -> template.execute(CONTAINER))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> executionErrors() {
    return cases(
        "{{.State.Health.Status}}",
            "template: :1:2: executing \"\" at <.State.Health.Status>: nil pointer evaluating interface {}.Status",
        "{{.Name.First}}",
            "template: :1:2: executing \"\" at <.Name.First>: can't evaluate field First in type string",
        "pid: {{index .Config.Env 5}}",
            "template: :1:7: executing \"\" at <index .Config.Env 5>: error calling index: index out of range: 5",
        "{{join .Name \",\"}}",
            "template: :1:2: executing \"\" at <join .Name \",\">: wrong type for value; expected []string; got string",
        "{{upper .State.Pid}}",
            "template: :1:2: executing \"\" at <upper .State.Pid>: wrong type for value; expected string; got int",
        "{{join .Args}}",
            "template: :1:2: executing \"\" at <join .Args>: wrong number of args for join: want 2 got 1",
        "{{eq .State.Pid \"1234\"}}",
            "template: :1:2: executing \"\" at <eq .State.Pid \"1234\">: error calling eq: incompatible types for comparison",
        "{{range .Name}}{{end}}",
            "template: :1:8: executing \"\" at <.Name>: range can't iterate over /web",
        "{{.Name 1}}",
            "template: :1:2: executing \"\" at <.Name>: Name is not a method but has arguments",
        "{{\"x\" 1}}",
            "template: :1:2: executing \"\" at <\"x\" 1>: can't give argument to non-function \"x\"",
        "{{nil}}", "template: :1:2: executing \"\" at <nil>: nil is not a command",
        "{{len .State.Pid}}",
            "template: :1:2: executing \"\" at <len .State.Pid>: error calling len: len of type int");
  }

  @Test
  void errorsAreOneLine() {
    assertThatThrownBy(() -> GoTemplate.parseInspect("{{if .A\n}}x").execute(CONTAINER))
        .isInstanceOf(TemplateException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A table of cases, each a format and what it gives: (format, expected) arguments in order. */
  private static Stream<Arguments> cases(String... formatThenExpected) {
    if (formatThenExpected.length % 2 != 0) {
      throw new IllegalArgumentException("a case without its expected value");
    }
    return IntStream.range(0, formatThenExpected.length / 2)
        .mapToObj(i -> Arguments.of(formatThenExpected[2 * i], formatThenExpected[2 * i + 1]));
  }

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) headers.put(pairs[i], pairs[i + 1]);
    return headers;
  }
}
