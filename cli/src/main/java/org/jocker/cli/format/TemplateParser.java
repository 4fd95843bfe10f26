package org.jocker.cli.format;

import static org.jocker.cli.format.Token.Kind.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the lexer's tokens into {@link Node}s. Like Go's parser it rejects, before
 * anything runs, unknown functions and variables used outside their scope.
 */
final class TemplateParser {
  private final String source;
  private final List<Token> tokens;
  private final Set<String> functions;
  /** Variables in scope, innermost last; "$" (the data) is always there. */
  private final List<String> variables = new ArrayList<>(List.of("$"));
  private int next;
  private int rangeDepth;

  private TemplateParser(String source, Set<String> functions) {
    this.source = source;
    this.tokens = TemplateLexer.tokenize(source);
    this.functions = functions;
  }

  static List<Node> parse(String source, Set<String> functionNames) {
    return new TemplateParser(source, functionNames).parseTemplate();
  }

  /** A list of nodes, and the {{else}} or {{end}} keyword token that ended it (null at EOF). */
  private record Body(List<Node> nodes, Token terminator) {}

  private List<Node> parseTemplate() {
    Body body = parseBody();
    if (body.terminator() != null) {
      throw error(body.terminator(), "unexpected {{" + body.terminator().text() + "}}");
    }
    return body.nodes();
  }

  private Body parseBody() {
    List<Node> nodes = new ArrayList<>();
    while (true) {
      Token token = advance();
      switch (token.kind()) {
        case TEXT -> nodes.add(new Node.Text(token.text()));
        case EOF -> { return new Body(nodes, null); }
        case LEFT_DELIM -> {
          Token keyword = peek();
          switch (keyword.kind()) {
            case END, ELSE -> { return new Body(nodes, keyword); }
            case IF, WITH, RANGE -> {
              advance();
              nodes.add(parseControl(keyword.kind()));
            }
            case BREAK, CONTINUE -> {
              advance();
              if (rangeDepth == 0) throw error(keyword, "{{" + keyword.text() + "}} outside {{range}}");
              expect(RIGHT_DELIM, keyword.text());
              nodes.add(keyword.kind() == BREAK ? new Node.Break() : new Node.Continue());
            }
            case DEFINE, TEMPLATE, BLOCK ->
                throw error(keyword, "{{" + keyword.text() + "}} is not supported");
            default -> nodes.add(new Node.Action(parsePipeline("command", RIGHT_DELIM, false)));
          }
        }
        default -> throw error(token, "unexpected " + describe(token));
      }
    }
  }

  /** The rest of {{if ...}}, {{with ...}} or {{range ...}} after its keyword, through {{end}}. */
  private Node parseControl(Token.Kind kind) {
    String context = kind.name().toLowerCase();
    int scope = variables.size();
    Pipeline pipeline = parsePipeline(context, RIGHT_DELIM, kind == RANGE);
    if (kind == RANGE) rangeDepth++;
    Body body = parseBody();
    if (kind == RANGE) rangeDepth--;
    List<Node> otherwise = List.of();
    Token terminator = body.terminator();
    if (terminator == null) throw error(tokens.get(next - 1), "unexpected EOF");
    advance();
    if (terminator.kind() == ELSE) {
      // "{{else if}}" and "{{else with}}" open a nested control that shares our {{end}}.
      if (kind != RANGE && peek().kind() == kind) {
        advance();
        otherwise = List.of(parseControl(kind));
      } else {
        expect(RIGHT_DELIM, "else");
        Body elseBody = parseBody();
        Token end = elseBody.terminator();
        if (end == null) throw error(tokens.get(next - 1), "unexpected EOF");
        if (end.kind() != END) throw error(end, "expected end; found {{" + end.text() + "}}");
        advance();
        expect(RIGHT_DELIM, "end");
        otherwise = elseBody.nodes();
      }
    } else {
      expect(RIGHT_DELIM, "end");
    }
    truncateScope(scope);
    return switch (kind) {
      case IF -> new Node.If(pipeline, body.nodes(), otherwise);
      case WITH -> new Node.With(pipeline, body.nodes(), otherwise);
      default -> new Node.Range(pipeline, body.nodes(), otherwise);
    };
  }

  /** {@code [$x :=] command | command ...}, consuming the closing token {@code end}. */
  private Pipeline parsePipeline(String context, Token.Kind end, boolean isRange) {
    Token start = peek();
    List<String> declared = new ArrayList<>();
    boolean assigns = false;
    if (isPlainVariable(peek()) && isDeclarationOperator(tokens.get(next + 1))) {
      declared.add(advance().text());
    } else if (isRange && isPlainVariable(peek()) && tokens.get(next + 1).kind() == COMMA
        && isPlainVariable(tokens.get(next + 2)) && isDeclarationOperator(tokens.get(next + 3))) {
      declared.add(advance().text());
      advance();
      declared.add(advance().text());
    } else if (isPlainVariable(peek()) && tokens.get(next + 1).kind() == COMMA) {
      throw error(tokens.get(next + 1), "too many declarations in " + context);
    }
    if (!declared.isEmpty()) {
      assigns = advance().kind() == ASSIGN;
      for (String name : declared) {
        if (assigns) requireDefined(name, start);
        else variables.add(name);
      }
    }
    List<Command> commands = new ArrayList<>();
    if (peek().kind() == end) throw error(peek(), "missing value for " + context);
    while (true) {
      commands.add(parseCommand(end));
      Token after = advance();
      if (after.kind() == end) break;
      if (after.kind() != PIPE) throw error(after, "unexpected " + describe(after) + " in " + context);
    }
    for (int i = 1; i < commands.size(); i++) {
      if (commands.get(i).first() instanceof Operand.Literal || commands.get(i).first() instanceof Operand.Dot
          || commands.get(i).first() instanceof Operand.Nil) {
        throw error(start, "non executable command in pipeline stage " + (i + 1));
      }
    }
    Token last = tokens.get(next - 2);
    return new Pipeline(declared, assigns, commands, span(start, last));
  }

  private Command parseCommand(Token.Kind end) {
    List<Operand> operands = new ArrayList<>();
    Token start = peek();
    while (true) {
      Token token = peek();
      if (token.kind() == PIPE || token.kind() == end) break;
      if (token.kind() == RIGHT_DELIM) throw error(token, "unclosed left paren");
      if (token.kind() == RIGHT_PAREN) throw error(token, "unexpected right paren");
      operands.add(parseOperand());
    }
    if (operands.isEmpty()) throw error(start, "empty command");
    return new Command(operands, span(start, tokens.get(next - 1)));
  }

  /** A term, possibly followed (with no space) by a field chain: (index .List 0).Name */
  private Operand parseOperand() {
    Token start = peek();
    Operand term = parseTerm();
    Token field = peek();
    if (field.kind() != FIELD || field.pos() != tokens.get(next - 1).end()) return term;
    if (!(term instanceof Operand.Parenthesized || term instanceof Operand.Variable)) {
      throw error(field, "unexpected . after term \"" + term.span().text() + "\"");
    }
    advance();
    return new Operand.Chain(term, fieldNames(field.text()), span(start, field));
  }

  private Operand parseTerm() {
    Token token = advance();
    Span span = new Span(token.pos(), token.text());
    return switch (token.kind()) {
      case DOT -> new Operand.Dot(span);
      case FIELD -> new Operand.Field(fieldNames(token.text()), span);
      case VARIABLE -> {
        int dot = token.text().indexOf('.');
        String name = dot < 0 ? token.text() : token.text().substring(0, dot);
        requireDefined(name, token);
        yield new Operand.Variable(name, dot < 0 ? List.of() : fieldNames(token.text().substring(dot)), span);
      }
      case IDENTIFIER -> {
        if (!functions.contains(token.text())) {
          throw error(token, "function \"" + token.text() + "\" not defined");
        }
        yield new Operand.Function(token.text(), span);
      }
      case STRING, RAW_STRING -> {
        String value = GoLiterals.unquote(token.text());
        if (value == null) throw error(token, "invalid syntax: " + token.text());
        yield new Operand.Literal(TextNode.valueOf(value), span);
      }
      case CHAR -> new Operand.Literal(checked(GoLiterals.character(token.text()), token, "malformed character constant"), span);
      case NUMBER -> new Operand.Literal(checked(GoLiterals.number(token.text()), token, "bad number syntax"), span);
      case BOOL -> new Operand.Literal(BooleanNode.valueOf(token.text().equals("true")), span);
      case NIL -> new Operand.Nil(span);
      case LEFT_PAREN -> {
        Pipeline inner = parsePipeline("parenthesized pipeline", RIGHT_PAREN, false);
        yield new Operand.Parenthesized(inner, span(token, tokens.get(next - 1)));
      }
      default -> throw error(token, "unexpected " + describe(token) + " in operand");
    };
  }

  private JsonNode checked(JsonNode value, Token token, String message) {
    if (value == null) throw error(token, message + ": " + token.text());
    return value;
  }

  private static List<String> fieldNames(String chain) {
    return List.copyOf(Arrays.asList(chain.substring(1).split("\\.")));
  }

  private static boolean isPlainVariable(Token token) {
    return token.kind() == VARIABLE && token.text().indexOf('.') < 0;
  }

  private static boolean isDeclarationOperator(Token token) {
    return token.kind() == DECLARE || token.kind() == ASSIGN;
  }

  private void requireDefined(String name, Token at) {
    if (!variables.contains(name)) throw error(at, "undefined variable \"" + name + "\"");
  }

  private void truncateScope(int size) {
    variables.subList(size, variables.size()).clear();
  }

  private Span span(Token first, Token last) {
    return new Span(first.pos(), source.substring(first.pos(), Math.max(first.pos(), last.end())));
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token advance() {
    Token token = tokens.get(next);
    if (token.kind() != EOF) next++;
    return token;
  }

  private void expect(Token.Kind kind, String context) {
    Token token = advance();
    if (token.kind() != kind) throw error(token, "unexpected " + describe(token) + " in " + context);
  }

  private static String describe(Token token) {
    return switch (token.kind()) {
      case EOF -> "EOF";
      case RIGHT_DELIM -> "\"}}\"";
      case IF, ELSE, END, RANGE, WITH, BREAK, CONTINUE, DEFINE, TEMPLATE, BLOCK -> "<" + token.text() + ">";
      default -> "\"" + token.text() + "\"";
    };
  }

  private TemplateException error(Token at, String message) {
    return TemplateException.parsing(source, at.pos(), message);
  }
}
