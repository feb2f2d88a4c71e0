"""Assemble spark-<version>-bin-hadoop3.tgz (official binary layout) from the PyPI pyspark sdist.

The sdist (`pip download --no-binary :all: pyspark==V`) carries the Spark runtime:
  deps/jars, deps/bin, deps/sbin (history/connect/daemon scripts only), deps/data, deps/licenses,
  deps/examples (Python examples only), lib/pyspark.zip + lib/py4j-*-src.zip, pyspark/ (sources).
Missing from it, and added here: conf/ templates, RELEASE, and yarn/spark-<V>-yarn-shuffle.jar, built
by Maven (maven-shade-plugin) from our own YarnShuffleService (yarn-shuffle/) plus the shuffle server
classes in deps/jars, with the third-party packages relocated under org.sparkproject like Spark's
official shuffle jar, so it can sit on a NodeManager classpath next to Hadoop's own netty/jackson.
"""
import glob
import os
import re
import sys
import tarfile
import zipfile
from xml.sax.saxutils import escape

from . import BuildError, DistTar, log, mvn, need_tool, run

HERE = os.path.dirname(os.path.abspath(__file__))

# sdist path (below its top directory) -> path in the distribution
LAYOUT = [
    ("deps/bin", "bin"), ("deps/sbin", "sbin"), ("deps/jars", "jars"), ("deps/data", "data"),
    ("deps/licenses", "licenses"), ("deps/examples", "examples/src/main/python"),
    ("lib", "python/lib"), ("pyspark", "python/pyspark"),
]
TOP_FILES = ["LICENSE", "NOTICE", "README.md"]

# What the YARN shuffle service needs from jars/ (found with jdeps on spark-network-shuffle/-common).
SHUFFLE_JARS = re.compile(
    r"(?:(?:spark-network-common|spark-network-shuffle|spark-common-utils-java|spark-tags)_.*"
    r"|netty-(?:buffer|codec|codec-base|codec-compression|common|handler|resolver|transport"
    r"|transport-native-unix-common|transport-classes-epoll)-\d.*"
    r"|netty-transport-native-epoll-.*-linux-(?:x86_64|aarch_64)"
    r"|jackson-(?:core|databind|annotations)-\d.*|metrics-core-\d.*|commons-crypto-\d.*|tink-\d.*"
    r"|RoaringBitmap-\d.*|log4j-api-\d.*|leveldbjni-all-\d.*|rocksdbjni-\d.*)\.jar")
# Compile-time only (the NodeManager provides them).
PROVIDED_JARS = re.compile(r"(hadoop-client-api|slf4j-api)-\d.*\.jar")
RELOCATE = ["io.netty", "com.fasterxml.jackson", "com.codahale.metrics", "com.google.crypto.tink",
            "org.roaringbitmap", "org.apache.logging.log4j"]  # not JNI-bound packages (rocksdb, ...)
SHADE_PREFIX = "org.sparkproject"
DROP_FROM_SHUFFLE_JAR = re.compile(
    r"META-INF/(MANIFEST\.MF|INDEX\.LIST|[^/]*\.(SF|DSA|RSA|EC)|maven/.*|versions/\d+/module-info\.class)"
    r"|module-info\.class"
    # rocksdbjni carries natives for a dozen platforms; keep glibc Linux x86_64 and aarch64.
    r"|librocksdbjni-(?!linux64\.so$|linux-aarch64\.so$).*")


def build(version, dest_dir, work):
    name, top = f"spark-{version}-bin-hadoop3.tgz", f"spark-{version}-bin-hadoop3"
    need_tool("mvn")  # for the YARN shuffle jar; checked before the long download
    dl = os.path.join(work, "download")
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "--dest", dl, f"pyspark=={version}"], f"pip download pyspark=={version}")
    sdists = glob.glob(os.path.join(dl, "pyspark-*.tar.gz"))
    if len(sdists) != 1:
        raise BuildError(f"expected one pyspark sdist in {dl}, found {os.listdir(dl)}")
    src = os.path.join(work, "src")
    log(f"extracting {os.path.basename(sdists[0])}")
    with tarfile.open(sdists[0]) as t:
        extract = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        t.extractall(src, **extract)
    (root,) = [os.path.join(src, d) for d in os.listdir(src)]
    jars_dir = os.path.join(root, "deps", "jars")
    if not os.path.isdir(jars_dir):
        raise BuildError(f"pyspark {version} sdist has no deps/jars: it does not carry the Spark "
                         "runtime (this builder needs a release whose sdist bundles it)")

    shuffle_jar = build_shuffle_jar(version, jars_dir, os.path.join(work, "yarn-shuffle"))
    hadoop_api = glob.glob(os.path.join(jars_dir, "hadoop-client-api-*.jar"))
    hadoop_version = re.sub(r".*hadoop-client-api-(.+)\.jar$", r"\1", hadoop_api[0]) if hadoop_api else "3"

    out = DistTar(dest_dir, name, top, os.path.getmtime(os.path.join(root, "PKG-INFO")))
    try:
        for fn in TOP_FILES:
            if os.path.exists(os.path.join(root, fn)):
                out.add_file(os.path.join(root, fn), fn)
        out.add_bytes(f"Spark {version} built for Hadoop {hadoop_version}\n"
                      "Assembled by datafleet.hadoop tools/build-dist from the PyPI pyspark source "
                      "distribution.\n", "RELEASE")
        for src_rel, arc in LAYOUT:
            if os.path.isdir(os.path.join(root, src_rel)):
                out.add_tree(os.path.join(root, src_rel), arc)
        out.add_tree(os.path.join(HERE, "spark-conf"), "conf")
        out.add_file(shuffle_jar, f"yarn/spark-{version}-yarn-shuffle.jar", executable=False)
        path = out.commit()
    except BaseException:
        out.abort()
        raise
    jars = len([f for f in os.listdir(jars_dir) if f.endswith(".jar")])
    log(f"{name}: {jars} jars + yarn shuffle jar, {os.path.getsize(path) / 1e6:.0f} MB")
    return path


def build_shuffle_jar(version, jars_dir, proj):
    """Compile YarnShuffleService against the unpacked shuffle-server jars, then let
    maven-shade-plugin relocate third-party packages; finally rename netty's native libraries to
    match the relocated package (netty derives the library name from its own package)."""
    names = sorted(os.listdir(jars_dir))
    bundled = [n for n in names if SHUFFLE_JARS.fullmatch(n)]
    provided = [n for n in names if PROVIDED_JARS.fullmatch(n)]
    if not any(n.startswith("spark-network-shuffle_") for n in bundled) or len(provided) != 2:
        raise BuildError(f"pyspark {version} jars lack spark-network-shuffle/hadoop-client-api/slf4j-api")
    classes = os.path.join(proj, "classes")
    _merge_jars([os.path.join(jars_dir, n) for n in bundled], classes)
    java_dir = os.path.join(proj, "src", "main", "java", "org", "apache", "spark", "network", "yarn")
    os.makedirs(java_dir)
    with open(os.path.join(HERE, "yarn-shuffle", "YarnShuffleService.java")) as f_in, \
            open(os.path.join(java_dir, "YarnShuffleService.java"), "w") as f_out:
        f_out.write(f_in.read())
    with open(os.path.join(proj, "pom.xml"), "w") as f:
        f.write(_shuffle_pom([os.path.join(jars_dir, n) for n in provided]))
    log(f"building the YARN shuffle jar from {len(bundled)} jars")
    mvn(["package"], "maven build of the YARN shuffle jar", proj)
    shaded = os.path.join(proj, "target", "yarn-shuffle-1.jar")
    final = os.path.join(proj, f"spark-{version}-yarn-shuffle.jar")
    prefix = SHADE_PREFIX.replace(".", "_") + "_"
    with zipfile.ZipFile(shaded) as zin, zipfile.ZipFile(final, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("META-INF/native/libnetty_"):
                item.filename = item.filename.replace("/libnetty_", f"/lib{prefix}netty_", 1)
            zout.writestr(item, data)
    return final


def _merge_jars(jars, out_dir):
    """Unpack jars into one class directory; concatenate META-INF/services files."""
    for jar in jars:
        with zipfile.ZipFile(jar) as z:
            for item in z.infolist():
                fn = item.filename
                if item.is_dir() or DROP_FROM_SHUFFLE_JAR.fullmatch(fn) or ".." in fn.split("/"):
                    continue
                target = os.path.join(out_dir, fn)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if fn.startswith("META-INF/services/") and os.path.exists(target):
                    with open(target, "ab") as f:
                        f.write(b"\n" + z.read(item))
                elif fn.startswith("META-INF/") and os.path.exists(target):
                    continue  # LICENSE/NOTICE of several jars: keep the first
                else:
                    with open(target, "wb") as f:
                        f.write(z.read(item))


def _shuffle_pom(provided):
    deps = "".join(
        f"<dependency><groupId>build-dist.provided</groupId><artifactId>{escape(os.path.basename(p)[:-4])}"
        f"</artifactId><version>1</version><scope>system</scope><systemPath>{escape(p)}</systemPath>"
        "</dependency>" for p in provided)
    relocations = "".join(
        f"<relocation><pattern>{p}</pattern><shadedPattern>{SHADE_PREFIX}.{p}</shadedPattern></relocation>"
        for p in RELOCATE)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>build-dist</groupId><artifactId>yarn-shuffle</artifactId><version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>{deps}</dependencies>
  <build>
    <!-- pre-filled with the unpacked shuffle-server jars; javac adds YarnShuffleService -->
    <outputDirectory>${{project.basedir}}/classes</outputDirectory>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId>
        <version>3.6.0</version>
        <executions><execution><phase>package</phase><goals><goal>shade</goal></goals>
          <configuration>
            <createDependencyReducedPom>false</createDependencyReducedPom>
            <relocations>{relocations}</relocations>
            <transformers>
              <transformer implementation="org.apache.maven.plugins.shade.resource.ServicesResourceTransformer"/>
            </transformers>
          </configuration>
        </execution></executions>
      </plugin>
    </plugins>
  </build>
</project>
"""
