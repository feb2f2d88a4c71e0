"""Assemble apache-zookeeper-<version>-bin.tar.gz (official binary layout, no shell scripts) from Maven.

One generated POM imports org.apache.zookeeper:parent as a BOM (the versions ZooKeeper's own build
pins) and depends on org.apache.zookeeper:zookeeper plus the dependencies its POM marks `provided`
or optional that the official tarball ships in lib/ (logback for logging, metrics-core for the
server's metrics, Jetty and Jackson for the AdminServer, commons-cli and jline for the CLI,
snappy-java for compressed snapshots).

  lib/        every runtime jar
  conf/       logback.xml, zoo_sample.cfg
"""
import os
import re
import time
import zipfile

from . import BuildError, DistTar, log, mvn, need_tool

HERE = os.path.dirname(os.path.abspath(__file__))
ZK_GROUP = "org.apache.zookeeper"
# (groupId, artifactId) with versions from the parent POM's dependencyManagement; where a row has two,
# the one the parent manages is taken (jline is jline:jline 2.x up to 3.9.4, org.jline:jline 3.x from 3.9.5).
SHIPPED = [
    [("ch.qos.logback", "logback-classic")],
    [("io.dropwizard.metrics", "metrics-core")],
    [("org.eclipse.jetty", "jetty-server")],
    [("org.eclipse.jetty", "jetty-servlet")],
    [("org.eclipse.jetty", "jetty-client")],
    [("com.fasterxml.jackson.core", "jackson-databind")],
    [("commons-cli", "commons-cli")],
    [("org.jline", "jline"), ("jline", "jline")],
    [("org.xerial.snappy", "snappy-java")],
]
POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>build-dist</groupId><artifactId>zookeeper-dist</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencyManagement><dependencies><dependency>
    <groupId>org.apache.zookeeper</groupId><artifactId>parent</artifactId><version>{version}</version>
    <type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.zookeeper</groupId><artifactId>zookeeper</artifactId>
      <version>{version}</version></dependency>{extra}
  </dependencies>
</project>
"""


def build(version, dest_dir, work):
    name, top = f"apache-zookeeper-{version}-bin.tar.gz", f"apache-zookeeper-{version}-bin"
    need_tool("mvn")
    managed = managed_by_parent(version, work)
    chosen = []
    for choices in SHIPPED:
        found = [choice for choice in choices if choice in managed]
        if not found:
            raise BuildError(f"org.apache.zookeeper:parent:{version} manages none of "
                             f"{', '.join(':'.join(choice) for choice in choices)}")
        chosen.append(found[0])
    extra = "".join(f"\n    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId></dependency>"
                    for g, a in chosen)
    with open(os.path.join(work, "pom.xml"), "w") as f:
        f.write(POM.format(version=version, extra=extra))
    log(f"resolving ZooKeeper {version} artifacts with Maven")
    lib = os.path.join(work, "lib")
    mvn(["dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={lib}"],
        "maven dependency resolution", work)
    jars = sorted(fn for fn in os.listdir(lib) if fn.endswith(".jar"))
    server_jar = f"zookeeper-{version}.jar"
    if server_jar not in jars:
        raise BuildError(f"{server_jar} missing after resolution (got: {', '.join(jars)})")

    with zipfile.ZipFile(os.path.join(lib, server_jar)) as z:  # its build time stands for the release's
        released = time.mktime(z.getinfo("META-INF/MANIFEST.MF").date_time + (0, 0, -1))
    out = DistTar(dest_dir, name, top, released)
    try:
        out.add_bytes(README.format(version=version), "README.txt")
        out.add_tree(os.path.join(HERE, "zookeeper-conf"), "conf")
        for jar in jars:
            out.add_file(os.path.join(lib, jar), f"lib/{jar}", executable=False)
        path = out.commit()
    except BaseException:
        out.abort()
        raise
    log(f"{name}: {len(jars)} jars, {os.path.getsize(path) / 1e6:.0f} MB")
    return path


def managed_by_parent(version, work):
    """(groupId, artifactId) of every dependency org.apache.zookeeper:parent:<version> manages."""
    mvn(["dependency:copy", f"-Dartifact={ZK_GROUP}:parent:{version}:pom", f"-DoutputDirectory={work}",
         "-Dmdep.stripVersion=true"], "maven resolution of the ZooKeeper parent POM", work)
    with open(os.path.join(work, "parent.pom"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("<dependencyManagement>", 1)[-1].split("</dependencyManagement>", 1)[0]
    return set(re.findall(r"<groupId>\s*([^<\s]+)\s*</groupId>\s*<artifactId>\s*([^<\s]+)\s*</artifactId>",
                          section))


README = """Apache ZooKeeper {version}

Assembled by datafleet.hadoop tools/build-dist from the Apache ZooKeeper {version} artifacts published
on Maven Central, in the layout of the official binary tarball (conf/, lib/). It has no bin/ scripts:
the server is started with `java -cp 'conf:lib/*' org.apache.zookeeper.server.quorum.QuorumPeerMain`
(see docs/builder.md in the collection).
"""
