/*
 * Spark external shuffle service as a YARN NodeManager auxiliary service.
 *
 * Written for datafleet.hadoop tools/build-dist. Spark's own wrapper (artifact spark-network-yarn) is
 * neither in the PyPI pyspark source distribution nor reachable in the Maven registry, while the
 * shuffle server it wraps (spark-network-shuffle + spark-network-common) is in the distribution's
 * jars/. This class is a small, independent implementation of the same entry point, under the same
 * class name, so the usual NodeManager configuration applies unchanged:
 *
 *   yarn.nodemanager.aux-services = mapreduce_shuffle,spark_shuffle
 *   yarn.nodemanager.aux-services.spark_shuffle.class = org.apache.spark.network.yarn.YarnShuffleService
 *
 * Settings read from the NodeManager configuration (yarn-site.xml): spark.shuffle.service.port
 * (7337), spark.authenticate (false), spark.yarn.shuffle.stopOnFailure (false),
 * spark.shuffle.service.db.backend (ROCKSDB, or LEVELDB) and the spark.shuffle.io.* transport
 * settings. With NodeManager recovery enabled, registered executors survive a NodeManager restart
 * (kept in <recovery dir>/registeredExecutors.rdb|.ldb). Not implemented: keeping application secrets
 * across a NodeManager restart (with spark.authenticate), push-based shuffle merging, metrics2
 * export of the shuffle metrics.
 */
package org.apache.spark.network.yarn;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.server.api.ApplicationInitializationContext;
import org.apache.hadoop.yarn.server.api.ApplicationTerminationContext;
import org.apache.hadoop.yarn.server.api.AuxiliaryService;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.sasl.ShuffleSecretManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.shuffle.ExternalBlockHandler;
import org.apache.spark.network.util.ConfigProvider;
import org.apache.spark.network.util.TransportConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class YarnShuffleService extends AuxiliaryService {
  private static final Logger LOG = LoggerFactory.getLogger(YarnShuffleService.class);

  static final String PORT_KEY = "spark.shuffle.service.port";
  static final int DEFAULT_PORT = 7337;
  static final String AUTH_KEY = "spark.authenticate";
  static final String STOP_ON_FAILURE_KEY = "spark.yarn.shuffle.stopOnFailure";
  static final String DB_BACKEND_KEY = "spark.shuffle.service.db.backend";

  private ShuffleSecretManager secrets;
  private ExternalBlockHandler blockHandler;
  private TransportContext context;
  private TransportServer server;

  public YarnShuffleService() {
    super("spark_shuffle");
  }

  @Override
  protected void serviceInit(Configuration hadoopConf) throws Exception {
    try {
      TransportConf conf = new TransportConf("shuffle", new HadoopConfigProvider(hadoopConf));
      blockHandler = new ExternalBlockHandler(conf, recoveryFile(hadoopConf));
      List<TransportServerBootstrap> bootstraps = new ArrayList<>();
      if (hadoopConf.getBoolean(AUTH_KEY, false)) {
        secrets = new ShuffleSecretManager();
        bootstraps.add(new AuthServerBootstrap(conf, secrets));
      }
      context = new TransportContext(conf, blockHandler, true);
      server = context.createServer(hadoopConf.getInt(PORT_KEY, DEFAULT_PORT), bootstraps);
      LOG.info("Spark shuffle service listening on port {} (authentication {})",
          server.getPort(), secrets != null ? "on" : "off");
    } catch (Exception e) {
      if (hadoopConf.getBoolean(STOP_ON_FAILURE_KEY, false)) {
        throw e;
      }
      // Like Spark's own service: by default a broken shuffle service must not stop the NodeManager.
      LOG.error("Spark shuffle service failed to start; NodeManager continues without it", e);
    }
    super.serviceInit(hadoopConf);
  }

  private File recoveryFile(Configuration hadoopConf) {
    Path dir = getRecoveryPath();  // set by the NodeManager only when its recovery is enabled
    if (dir == null) {
      return null;
    }
    boolean leveldb = "LEVELDB".equalsIgnoreCase(hadoopConf.get(DB_BACKEND_KEY, "ROCKSDB"));
    return new File(dir.toUri().getPath(), "registeredExecutors." + (leveldb ? "ldb" : "rdb"));
  }

  @Override
  public void initializeApplication(ApplicationInitializationContext ctx) {
    String appId = ctx.getApplicationId().toString();
    ByteBuffer secret = ctx.getApplicationDataForService();
    if (secrets != null && secret != null) {
      secrets.registerApp(appId, secret);
    }
    LOG.info("Initializing application {}", appId);
  }

  @Override
  public void stopApplication(ApplicationTerminationContext ctx) {
    String appId = ctx.getApplicationId().toString();
    if (secrets != null) {
      secrets.unregisterApp(appId);
    }
    if (blockHandler != null) {
      blockHandler.applicationRemoved(appId, false);  // YARN deletes the application's local dirs
    }
    LOG.info("Stopping application {}", appId);
  }

  @Override
  public ByteBuffer getMetaData() {
    return ByteBuffer.allocate(0);
  }

  @Override
  protected void serviceStop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (context != null) {
      context.close();
    }
    if (blockHandler != null) {
      blockHandler.close();
    }
    super.serviceStop();
  }

  /** Spark network settings (spark.shuffle.io.* ...) looked up in the NodeManager configuration. */
  static final class HadoopConfigProvider extends ConfigProvider {
    private final Configuration conf;

    HadoopConfigProvider(Configuration conf) {
      this.conf = conf;
    }

    @Override
    public String get(String name) {
      String value = conf.get(name);
      if (value == null) {
        throw new NoSuchElementException(name);
      }
      return value;
    }

    @Override
    public Iterable<Map.Entry<String, String>> getAll() {
      return conf;
    }
  }
}
