package messenger.contract;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The routes the server serves, read from its route code rather than from a second list: javac
 * parses {@code src/main/java}, and this follows the Akka HTTP directives from the route that
 * {@code MessengerNode} binds, through every route class (a class that extends {@code
 * AllDirectives}) it reaches. {@code path}/{@code pathPrefix}/{@code pathEnd}/{@code
 * pathSingleSlash} build the path, {@code get}/{@code post}/... set the method, and a route is
 * wherever a path is closed, a method set and the request answered ({@code complete}, {@code
 * getFromResource}, {@code getFromResourceDirectory}, {@code handleWebSocketMessages}). Every
 * branch counts, so this over-approximates: a route the reader finds that the server does not serve
 * fails the probe in {@link RouteCoverageIntegrationTest}, which keeps the reader honest.
 *
 * <p>It fails loudly on what it cannot follow (a path matcher it does not know, a ready-made {@code
 * Route} field it was not told about) instead of missing routes silently.
 */
final class RouteCode {

  /**
   * Route fields whose value is built elsewhere and handed in: which method builds it. A new one
   * stops the reader until it is named here.
   */
  private static final Map<String, String> HANDED_IN =
      Map.of("ApiRoutes.metrics", "MetricsRoutes.routes");

  private static final Set<String> METHODS =
      Set.of("get", "post", "put", "patch", "delete", "head", "options");
  private static final Set<String> DIRECTIVES =
      Set.of(
          "path",
          "pathPrefix",
          "pathEnd",
          "pathSingleSlash",
          "complete",
          "getFromResource",
          "getFromResourceDirectory",
          "handleWebSocketMessages");
  private static final Set<String> ANSWERS =
      Set.of("complete", "getFromResource", "handleWebSocketMessages");

  private final Map<String, ClassTree> classes = new HashMap<>();
  private final Map<String, String> superclass = new HashMap<>();
  private final Set<String> routes = new TreeSet<>();
  private final Set<String> walked = new HashSet<>();

  private RouteCode() {}

  /** "GET /api/v1/users/{}" for every route, parameters unnamed. */
  static Set<String> served(Path sources) {
    RouteCode code = new RouteCode();
    code.parse(sources);
    ClassTree node = code.classes.get("MessengerNode");
    if (node == null) throw new AssertionError("no MessengerNode in " + sources);
    code.walkBind(node);
    return code.routes;
  }

  private void parse(Path sources) {
    List<Path> files;
    try (Stream<Path> all = Files.walk(sources)) {
      files = all.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files0 =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      var task =
          (JavacTask)
              javac.getTask(
                  null,
                  files0,
                  null,
                  List.of("-proc:none"),
                  null,
                  files0.getJavaFileObjectsFromPaths(files));
      for (CompilationUnitTree unit : task.parse()) {
        for (Tree type : unit.getTypeDecls()) {
          if (type instanceof ClassTree c) {
            String name = c.getSimpleName().toString();
            classes.put(name, c);
            if (c.getExtendsClause() != null) superclass.put(name, c.getExtendsClause().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean isRouteClass(String name) {
    for (String c = name; c != null; c = superclass.get(c)) {
      if (c.equals("AllDirectives")) return true;
    }
    return false;
  }

  /** The argument of {@code .bind(...)} in MessengerNode: the whole served route. */
  private void walkBind(ClassTree node) {
    for (Tree member : node.getMembers()) {
      if (!(member instanceof MethodTree method) || method.getBody() == null) continue;
      Map<String, String> locals = locals(node, method);
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
          if (name(call).equals("bind") && call.getArguments().size() == 1) {
            new Walker("MessengerNode", locals).scan(call.getArguments().get(0), Where.ROOT);
          }
          return super.visitMethodInvocation(call, unused);
        }
      }.scan(method.getBody(), null);
    }
    if (routes.isEmpty()) throw new AssertionError("found no bind(...) route in MessengerNode");
  }

  /** Where in the route tree a piece of code runs: the path so far, whether closed, the method. */
  record Where(List<String> segments, boolean closed, String method) {
    static final Where ROOT = new Where(List.of(), false, null);

    Where under(List<String> more, boolean close) {
      List<String> all = new ArrayList<>(segments);
      all.addAll(more);
      return new Where(all, close, method);
    }

    Where ended() {
      return new Where(segments, true, method);
    }

    Where with(String m) {
      return new Where(segments, closed, m);
    }

    String route() {
      return method + " /" + String.join("/", segments);
    }
  }

  /** Walks code of one class (its fields and this method's locals give receivers their types). */
  private final class Walker extends TreeScanner<Void, Where> {
    private final String owner;
    private final Map<String, String> locals;

    Walker(String owner, Map<String, String> locals) {
      this.owner = owner;
      this.locals = locals;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, Where where) {
      String name = name(call);
      List<? extends ExpressionTree> args = call.getArguments();
      boolean directive = unqualified(call) && isRouteClass(owner);
      if (unqualified(call) && !isRouteClass(owner) && DIRECTIVES.contains(name)) {
        // Routes built outside a route class would be served but not read here.
        throw new AssertionError(
            owner + " builds routes (" + name + "); move them into a route class");
      }
      if (directive && (name.equals("path") || name.equals("pathPrefix")) && args.size() == 2) {
        scan(args.get(1), where.under(segments(args.get(0)), name.equals("path")));
        return null;
      }
      if (directive && (name.equals("pathEnd") || name.equals("pathSingleSlash"))) {
        scan(args, where.ended());
        return null;
      }
      if (directive && METHODS.contains(name) && args.size() == 1 && isRouteArgument(args.get(0))) {
        scan(args, where.with(name.toUpperCase(Locale.ROOT)));
        return null;
      }
      if (directive && name.equals("getFromResourceDirectory")) {
        answered(where.under(List.of("{}"), true));
      } else if (directive && ANSWERS.contains(name)) {
        answered(where);
      }
      for (String target : targets(call.getMethodSelect())) walk(target, where);
      return super.visitMethodInvocation(call, where);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree ref, Where where) {
      String type = typeOf(ref.getQualifierExpression());
      if (type != null) walk(type + "." + ref.getName(), where);
      return super.visitMemberReference(ref, where);
    }

    @Override
    public Void visitIdentifier(IdentifierTree id, Where where) {
      String key = owner + "." + id.getName();
      if ("Route".equals(fieldType(owner, id.getName().toString()))) {
        String bound = HANDED_IN.get(key);
        if (bound == null) {
          throw new AssertionError(
              key
                  + " is a Route handed in from elsewhere; name its builder in RouteCode.HANDED_IN");
        }
        walk(bound, where);
      }
      return null;
    }

    private List<String> targets(ExpressionTree select) {
      if (select instanceof IdentifierTree id) return List.of(owner + "." + id.getName());
      if (select instanceof MemberSelectTree member) {
        String type = typeOf(member.getExpression());
        if (type != null) return List.of(type + "." + member.getIdentifier());
      }
      return List.of();
    }

    /** The route class an expression is an instance of, if it is one; else null. */
    private String typeOf(ExpressionTree e) {
      String type = null;
      if (e instanceof IdentifierTree id) {
        String n = id.getName().toString();
        type = n.equals("this") ? owner : locals.getOrDefault(n, fieldType(owner, n));
        if (type == null && classes.containsKey(n)) type = n;
      } else if (e instanceof MemberSelectTree m && m.getExpression().toString().equals("this")) {
        type = fieldType(owner, m.getIdentifier().toString());
      } else if (e instanceof NewClassTree n) {
        type = n.getIdentifier().toString();
      } else if (e instanceof MethodInvocationTree call) {
        for (String target : targets(call.getMethodSelect())) type = returnType(target);
      }
      return type != null && isRouteClass(type) ? type : null;
    }
  }

  private void answered(Where where) {
    if (!where.closed()) return;
    if (where.method() == null) {
      throw new AssertionError(
          "a route that answers every method: /" + String.join("/", where.segments()));
    }
    routes.add(where.route());
  }

  /** Walks every method {@code Class.name} (and those it inherits) in this place of the tree. */
  private void walk(String target, Where where) {
    int dot = target.indexOf('.');
    String type = target.substring(0, dot);
    String name = target.substring(dot + 1);
    for (String c = type; c != null && classes.containsKey(c); c = superclass.get(c)) {
      if (!isRouteClass(c) && !c.equals("MessengerNode")) return;
      ClassTree tree = classes.get(c);
      for (Tree member : tree.getMembers()) {
        if (member instanceof MethodTree m
            && m.getName().contentEquals(name)
            && m.getBody() != null
            && walked.add(c + "." + name + "@" + where)) {
          new Walker(c, locals(tree, m)).scan(m.getBody(), where);
        }
      }
    }
  }

  private String fieldType(String owner, String field) {
    for (String c = owner; c != null && classes.containsKey(c); c = superclass.get(c)) {
      for (Tree member : classes.get(c).getMembers()) {
        if (member instanceof VariableTree v && v.getName().contentEquals(field)) {
          return simple(v.getType().toString());
        }
      }
    }
    return null;
  }

  private String returnType(String target) {
    int dot = target.indexOf('.');
    ClassTree tree = classes.get(target.substring(0, dot));
    if (tree == null) return null;
    for (Tree member : tree.getMembers()) {
      if (member instanceof MethodTree m
          && m.getName().contentEquals(target.substring(dot + 1))
          && m.getReturnType() != null) {
        return simple(m.getReturnType().toString());
      }
    }
    return null;
  }

  /** A method's parameters and local variables with their declared (or obvious) types. */
  private Map<String, String> locals(ClassTree owner, MethodTree method) {
    Map<String, String> types = new HashMap<>();
    String ownerName = owner.getSimpleName().toString();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree v, Void unused) {
        String declared = v.getType() == null ? "var" : v.getType().toString();
        if (declared.equals("var") && v.getInitializer() instanceof NewClassTree n) {
          declared = n.getIdentifier().toString();
        } else if (declared.equals("var")
            && v.getInitializer() instanceof MethodInvocationTree call
            && call.getMethodSelect() instanceof IdentifierTree id) {
          declared = returnType(ownerName + "." + id.getName());
        }
        if (declared != null) types.put(v.getName().toString(), simple(declared));
        return super.visitVariable(v, unused);
      }
    }.scan(method, null);
    return types;
  }

  /** A path matcher as segments: "users", segment() as "{}", segment("a").slash("b") as a/b. */
  private static List<String> segments(ExpressionTree matcher) {
    if (matcher instanceof LiteralTree literal && literal.getValue() instanceof String s) {
      return List.of(s.split("/"));
    }
    if (matcher instanceof MethodInvocationTree call) {
      String name = name(call);
      List<? extends ExpressionTree> args = call.getArguments();
      if (name.equals("slash") && call.getMethodSelect() instanceof MemberSelectTree m) {
        List<String> all = new ArrayList<>(segments(m.getExpression()));
        all.addAll(segments(args.get(0)));
        return all;
      }
      if ((name.equals("segment") || name.equals("longSegment")) && args.isEmpty()) {
        return List.of("{}");
      }
      if (name.equals("segment") && args.size() == 1) return segments(args.get(0));
    }
    throw new AssertionError("a path matcher RouteCode cannot read: " + matcher);
  }

  private static boolean isRouteArgument(ExpressionTree arg) {
    return arg instanceof LambdaExpressionTree || arg instanceof MemberReferenceTree;
  }

  private static boolean unqualified(MethodInvocationTree call) {
    return call.getMethodSelect() instanceof IdentifierTree
        || (call.getMethodSelect() instanceof MemberSelectTree m
            && m.getExpression().toString().equals("this"));
  }

  private static String name(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof IdentifierTree id) return id.getName().toString();
    if (select instanceof MemberSelectTree m) return m.getIdentifier().toString();
    return "";
  }

  private static String simple(String type) {
    int generic = type.indexOf('<');
    String raw = generic < 0 ? type : type.substring(0, generic);
    return raw.substring(raw.lastIndexOf('.') + 1);
  }
}
