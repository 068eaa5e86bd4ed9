# Sourced by the benchmark scripts (not run on its own): the repository root as working directory,
# the benchmarks' build and the java to run them with.
#   SKIP_BUILD=1   reuse the last build (when its class path file is there)
#   MVN_ARGS=-o    extra words for mvn, e.g. to build offline
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
classpath_file=benchmarks/target/classpath.txt
java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

# Builds the benchmarks and writes their class path, unless SKIP_BUILD is set and a class path is there.
# One reactor build (mvn package): the project's modules come from their target/ directories, nothing is
# installed into ~/.m2. The CLI is only a build-order dependency of the benchmarks (its shaded jar would
# shadow everything): off the path.
build_benchmarks() {
  if [[ -z "${SKIP_BUILD:-}" || ! -s "$classpath_file" ]]; then
    # shellcheck disable=SC2086 # MVN_ARGS is a list of words
    mvn -B -q ${MVN_ARGS:-} -DskipTests -pl benchmarks -am package \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime -DexcludeArtifactIds=profileops-cli
  fi
}

# The class path to run a benchmark with: its classes, then the dependencies build_benchmarks listed.
benchmark_classpath() {
  echo "benchmarks/target/classes:$(cat "$classpath_file")"
}
