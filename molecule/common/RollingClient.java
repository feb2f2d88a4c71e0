// A long-running HDFS client for the rolling restart tests: it writes a new
// file, reads it back and compares the bytes, once a second, until a file
// named "stop" appears in its local directory. One line per operation in
// ops.log ("<epoch seconds at its end> put|cat <n> ok|FAILED <seconds it
// took>"), the stack traces of
// failures in err.log. One JVM for the whole run: the client keeps its
// connections and its view of the NameNodes, as an application does, and
// costs the machine little while the daemons restart.
//
// java -cp <hadoop classpath> RollingClient.java <HDFS directory> <local directory>

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

public class RollingClient {
    public static void main(String[] args) throws Exception {
        Path dir = new Path(args[0]);
        java.nio.file.Path local = Paths.get(args[1]);
        FileSystem fs = FileSystem.get(new Configuration());
        fs.mkdirs(dir);
        Random random = new Random();
        try (PrintWriter ops = new PrintWriter(new FileWriter(local.resolve("ops.log").toFile(), true), true);
             PrintWriter err = new PrintWriter(new FileWriter(local.resolve("err.log").toFile(), true), true)) {
            for (int i = 1; !Files.exists(local.resolve("stop")); i++) {
                byte[] data = new byte[200000];
                random.nextBytes(data);
                Path file = new Path(dir, "f" + i);
                long start = System.nanoTime();
                try (FSDataOutputStream out = fs.create(file, true)) {
                    out.write(data);
                } catch (IOException e) {
                    log(ops, "put", i, false, start);
                    e.printStackTrace(err);
                    Thread.sleep(1000);
                    continue;
                }
                log(ops, "put", i, true, start);
                start = System.nanoTime();
                try (FSDataInputStream in = fs.open(file)) {
                    log(ops, "cat", i, Arrays.equals(in.readAllBytes(), data), start);
                } catch (IOException e) {
                    log(ops, "cat", i, false, start);
                    e.printStackTrace(err);
                }
                Thread.sleep(1000);
            }
        }
    }

    private static void log(PrintWriter ops, String op, int n, boolean ok, long start) {
        ops.printf(java.util.Locale.ROOT, "%.3f %s %d %s %.3f%n", System.currentTimeMillis() / 1000.0, op, n,
                   ok ? "ok" : "FAILED", (System.nanoTime() - start) / 1e9);
    }
}
