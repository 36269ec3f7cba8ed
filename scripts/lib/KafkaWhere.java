// Where something lives on a Kafka cluster, asked with Kafka's own Admin
// client: scripts/kafka coordinator runs it with the jars of scripts/setup
// (java's single-file source launcher, no build step). Prints a node id.
//
//   java -cp 'LIBS/*' KafkaWhere.java BOOTSTRAP txn TRANSACTIONAL_ID
//   java -cp 'LIBS/*' KafkaWhere.java BOOTSTRAP group GROUP_ID
//   java -cp 'LIBS/*' KafkaWhere.java BOOTSTRAP leader TOPIC PARTITION
//   java -cp 'LIBS/*' KafkaWhere.java BOOTSTRAP topic TOPIC[,TOPIC...]
//     (a line per topic: "TOPIC partitions=P replication=R min.insync.replicas=M",
//     R the smallest replica set of its partitions)
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

public class KafkaWhere {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: KafkaWhere BOOTSTRAP txn ID | group ID | leader TOPIC PARTITION | topic TOPICS");
      System.exit(2);
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("request.timeout.ms", "10000");
    props.put("default.api.timeout.ms", "30000");
    String id = args[2];
    try (Admin admin = Admin.create(props)) {
      switch (args[1]) {
        case "txn":
          System.out.println(
              admin.describeTransactions(List.of(id)).description(id).get().coordinatorId());
          break;
        case "group":
          System.out.println(admin.describeConsumerGroups(List.of(id)).describedGroups().get(id)
                                 .get().coordinator().id());
          break;
        case "leader":
          TopicDescription t = admin.describeTopics(List.of(id)).topicNameValues().get(id).get();
          int partition = args.length > 3 ? Integer.parseInt(args[3]) : 0;
          System.out.println(t.partitions().get(partition).leader().id());
          break;
        case "topic":
          for (String name : id.split(",")) {
            TopicDescription d =
                admin.describeTopics(List.of(name)).topicNameValues().get(name).get();
            int replication = Integer.MAX_VALUE;
            for (TopicPartitionInfo p : d.partitions())
              replication = Math.min(replication, p.replicas().size());
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
            String minIsr = admin.describeConfigs(List.of(r)).all().get().get(r)
                                .get("min.insync.replicas").value();
            System.out.println(name + " partitions=" + d.partitions().size()
                + " replication=" + replication + " min.insync.replicas=" + minIsr);
          }
          break;
        default:
          System.err.println("unknown question: " + args[1]);
          System.exit(2);
      }
    }
  }
}
