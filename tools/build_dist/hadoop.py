"""Assemble hadoop-<version>.tar.gz (official binary layout, no shell scripts) from Maven artifacts.

One generated Maven reactor resolves every group; `dependency:copy-dependencies` with the repository
layout tells us groupId/artifactId/classifier of each jar, which drives placement and de-duplication:

  share/hadoop/<group>/        the Hadoop module jars of that group
  share/hadoop/<group>/lib/    their third-party dependencies, minus those already in common/lib or
                               in an earlier group's lib (order: common, hdfs, yarn, mapreduce)
  share/hadoop/hdfs/webapps/   NameNode/DataNode/JournalNode web UI (not in the hadoop-hdfs jar;
                               taken from the hadoop-hdfs "tests" jar, where the build puts a copy)
"""
import os
import time
import zipfile
from xml.sax.saxutils import escape

from . import BuildError, DistTar, log, mvn, need_tool

HERE = os.path.dirname(os.path.abspath(__file__))


def _yarn(*names):
    return [f"hadoop-yarn-{n}" for n in names]


def _mr(*names):
    return [f"hadoop-mapreduce-{n}" for n in names]


# (name, jar dir, lib dir, required modules, optional modules). Optional modules are part of the
# official tarball but not needed by the daemons this collection runs; a registry that lacks them
# (or an older Hadoop without them) only costs a warning.
GROUPS = [
    ("common", "share/hadoop/common", "share/hadoop/common/lib",
     ["hadoop-common"], ["hadoop-registry", "hadoop-nfs", "hadoop-kms"]),
    ("hdfs", "share/hadoop/hdfs", "share/hadoop/hdfs/lib",
     ["hadoop-hdfs", "hadoop-hdfs-client"],
     ["hadoop-hdfs-nfs", "hadoop-hdfs-httpfs", "hadoop-hdfs-rbf"]),
    ("yarn", "share/hadoop/yarn", "share/hadoop/yarn/lib",
     _yarn("api", "common", "client", "server-common", "server-resourcemanager",
           "server-nodemanager", "server-web-proxy", "server-applicationhistoryservice"),
     _yarn("registry", "server-timeline-pluginstorage", "server-router",
           "server-sharedcachemanager", "applications-distributedshell",
           "applications-unmanaged-am-launcher", "services-core", "services-api")),
    ("timelineservice", "share/hadoop/yarn/timelineservice", "share/hadoop/yarn/timelineservice/lib",
     _yarn("server-timelineservice"), []),  # the RM web UI does not start without it
    ("mapreduce", "share/hadoop/mapreduce", "share/hadoop/mapreduce/lib",
     _mr("client-core", "client-common", "client-app", "client-jobclient", "client-shuffle",
         "client-hs"),
     _mr("examples", "client-hs-plugins", "client-nativetask", "client-uploader")),
]
HADOOP_GROUP = "org.apache.hadoop"
MODULE_HOME = {m: g[0] for g in GROUPS for m in g[3] + g[4]}
GROUP_DIRS = {g[0]: (g[1], g[2]) for g in GROUPS}

# Never shipped: test/source artifacts, and SLF4J bindings other than Hadoop's own slf4j-reload4j
# (two bindings on one classpath make SLF4J pick one at random and warn).
SKIP_CLASSIFIERS = {"tests", "test-sources", "sources", "javadoc"}
SKIP_ARTIFACTS = {
    ("org.slf4j", "slf4j-log4j12"), ("org.slf4j", "slf4j-simple"), ("org.slf4j", "slf4j-jdk14"),
    ("org.slf4j", "slf4j-nop"), ("ch.qos.logback", "logback-classic"),
    ("org.apache.logging.log4j", "log4j-slf4j-impl"), ("org.apache.logging.log4j", "log4j-slf4j2-impl"),
    ("junit", "junit"), ("org.junit.jupiter", "junit-jupiter-api"), ("org.mockito", "mockito-core"),
}
WEBAPPS_MODULE = "hdfs-webapps"  # resolves hadoop-hdfs:tests only, for its webapps/ directory


EXCLUDE_ALL = "<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>"
POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>{head}
  <groupId>build-dist</groupId><artifactId>{artifact_id}</artifactId><version>1</version>
  <packaging>pom</packaging>{body}
</project>
"""
# The reactor imports hadoop-project's dependencyManagement: the versions Hadoop's own build pins.
# Without it Maven's nearest-wins mediation picks e.g. jackson-core 2.14 (via avro) next to databind
# 2.18 in common/lib.
REACTOR_BODY = """
  <properties><hadoop.version>{version}</hadoop.version></properties>
  <dependencyManagement><dependencies><dependency>
    <groupId>org.apache.hadoop</groupId><artifactId>hadoop-project</artifactId>
    <version>${{hadoop.version}}</version><type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <modules>{modules}</modules>"""
MODULE_HEAD = """
  <parent><groupId>build-dist</groupId><artifactId>reactor</artifactId><version>1</version></parent>"""


def _dependency(artifact, classifier=None, exclude_all=False):
    return (f"<dependency><groupId>{HADOOP_GROUP}</groupId><artifactId>{escape(artifact)}</artifactId>"
            f"<version>${{hadoop.version}}</version>"
            + (f"<classifier>{classifier}</classifier>" if classifier else "")
            + (EXCLUDE_ALL if exclude_all else "") + "</dependency>")


def _write_reactor(work, version):
    """One Maven module per group (its required artifacts) and one per optional artifact."""
    modules = {}  # maven module dir -> (group, optional?, dependencies)
    for group, _jar_dir, _lib_dir, required, optional in GROUPS:
        if required:
            modules[f"g-{group}"] = (group, False, [(a,) for a in required])
        for art in optional:
            modules[f"o-{art}"] = (group, True, [(art,)])
    modules[WEBAPPS_MODULE] = ("hdfs", False, [("hadoop-hdfs", "tests", True)])
    for mod, (_group, _optional, deps) in modules.items():
        os.makedirs(os.path.join(work, mod))
        body = "\n  <dependencies>" + "".join(_dependency(*d) for d in deps) + "</dependencies>"
        with open(os.path.join(work, mod, "pom.xml"), "w") as f:
            f.write(POM.format(head=MODULE_HEAD, artifact_id=mod, body=body))
    body = REACTOR_BODY.format(version=escape(version),
                               modules="".join(f"<module>{m}</module>" for m in modules))
    with open(os.path.join(work, "pom.xml"), "w") as f:
        f.write(POM.format(head="", artifact_id="reactor", body=body))
    return modules


def _resolved_jars(dep_dir):
    """Yield (groupId, artifactId, version, classifier, path) from a repository-layout copy."""
    for root, _dirs, files in os.walk(dep_dir):
        for fn in sorted(files):
            if not fn.endswith(".jar"):
                continue
            rel = os.path.relpath(root, dep_dir).split(os.sep)
            group, art, ver = ".".join(rel[:-2]), rel[-2], rel[-1]
            stem = fn[:-4]
            prefix = f"{art}-{ver}"
            classifier = stem[len(prefix) + 1:] if stem.startswith(prefix + "-") else ""
            yield group, art, ver, classifier, os.path.join(root, fn)


def _place(modules, work):
    """Decide where every resolved jar goes: {path in the tarball: source file}."""
    placed, conflicts = {}, []
    lib_keys = {g: {} for g in GROUP_DIRS}  # group -> {(groupId, artifactId, classifier): version}
    order = [m for g in GROUP_DIRS for m, (mg, _optional, _deps) in modules.items() if mg == g and m != WEBAPPS_MODULE]
    for mod in order:
        group = modules[mod][0]
        dep_dir = os.path.join(work, mod, "target", "dependency")
        if not os.path.isdir(dep_dir):
            continue  # optional module that did not resolve
        for g_id, art, ver, classifier, path in _resolved_jars(dep_dir):
            key = (g_id, art, classifier)
            if classifier in SKIP_CLASSIFIERS or (g_id, art) in SKIP_ARTIFACTS:
                continue
            if g_id == HADOOP_GROUP and art in MODULE_HOME:
                home = MODULE_HOME[art]
                placed.setdefault(f"{GROUP_DIRS[home][0]}/{os.path.basename(path)}", path)
                continue
            seen = [(g, keys[key]) for g, keys in lib_keys.items() if key in keys]
            if seen:
                # One copy only, in the first group that needs it (common/lib first): every daemon's
                # classpath holds all groups, as the official launch scripts build it.
                if seen[0][1] != ver:
                    conflicts.append(f"{g_id}:{art}: {ver} wanted by {group}, kept {seen[0][1]} "
                                     f"({seen[0][0]})")
                continue
            lib_keys[group][key] = ver
            placed[f"{GROUP_DIRS[group][1]}/{os.path.basename(path)}"] = path
    for c in sorted(set(conflicts)):
        log(f"note: {c}")
    return placed


def _webapps(work):
    dep_dir = os.path.join(work, WEBAPPS_MODULE, "target", "dependency")
    for _group_id, art, _version, classifier, path in _resolved_jars(dep_dir):
        if art == "hadoop-hdfs" and classifier == "tests":
            return path
    raise BuildError("hadoop-hdfs tests jar (source of share/hadoop/hdfs/webapps) was not resolved")


def build(version, dest_dir, work):
    name, top = f"hadoop-{version}.tar.gz", f"hadoop-{version}"
    need_tool("mvn")
    modules = _write_reactor(work, version)
    log(f"resolving Hadoop {version} artifacts with Maven ({len(modules)} modules)")
    try:
        # -fae: optional modules that do not exist in the registry fail alone; checked below.
        mvn(["-fae", "dependency:copy-dependencies", "-Dmdep.useRepositoryLayout=true",
             "-DincludeScope=runtime"], "maven dependency resolution", work)
        failed_output = ""
    except BuildError as e:
        failed_output = str(e)
    missing_required = [m for m, (_group, opt, _deps) in modules.items()
                        if not opt and not os.path.isdir(os.path.join(work, m, "target", "dependency"))]
    if missing_required:
        raise BuildError(f"could not resolve required Hadoop {version} artifacts "
                         f"({', '.join(missing_required)}):\n{failed_output}")
    for m, (_group, opt, deps) in modules.items():
        if opt and not os.path.isdir(os.path.join(work, m, "target", "dependency")):
            log(f"note: optional {deps[0]}:{version} not available from the Maven registry; left out")

    placed = _place(modules, work)
    tests_jar = _webapps(work)
    common_jar = placed.get(f"share/hadoop/common/hadoop-common-{version}.jar")
    if not common_jar:
        raise BuildError(f"hadoop-common-{version}.jar missing after resolution")

    with zipfile.ZipFile(common_jar) as z:  # its build time stands for the release's
        released = time.mktime(z.getinfo("META-INF/MANIFEST.MF").date_time + (0, 0, -1))
    out = DistTar(dest_dir, name, top, released)
    try:
        out.add_tree(os.path.join(HERE, "hadoop-etc"), "etc/hadoop")
        with zipfile.ZipFile(common_jar) as z:
            for member, target in (("META-INF/LICENSE.txt", "LICENSE.txt"),
                                   ("META-INF/NOTICE.txt", "NOTICE.txt")):
                if member in z.namelist():
                    out.add_bytes(z.read(member), target)
        out.add_bytes(README.format(version=version), "README.txt")
        for group, jar_dir, lib_dir, _required, _optional in GROUPS:
            for arc in sorted(a for a in placed if os.path.dirname(a) in (jar_dir, lib_dir)):
                out.add_file(placed[arc], arc, executable=False)
        with zipfile.ZipFile(tests_jar) as z:
            for member in sorted(z.namelist()):
                if member.startswith("webapps/") and not member.endswith("/"):
                    out.add_bytes(z.read(member), f"share/hadoop/hdfs/{member}")
        path = out.commit()
    except BaseException:
        out.abort()
        raise
    jars = sum(1 for a in placed if a.endswith(".jar"))
    log(f"{name}: {jars} jars, {os.path.getsize(path) / 1e6:.0f} MB")
    return path


README = """Apache Hadoop {version}

Assembled by datafleet.hadoop tools/build-dist from the Apache Hadoop {version} artifacts published on
Maven Central, in the layout of the official binary tarball (etc/hadoop, share/hadoop/<group>,
share/hadoop/<group>/lib). It has no bin/, sbin/, libexec/ scripts and no native libraries: the
daemons are started with `java -cp ...` directly (see docs/builder.md in the collection).
LICENSE.txt and NOTICE.txt come from hadoop-common-{version}.jar; each jar carries its own notices.
"""
