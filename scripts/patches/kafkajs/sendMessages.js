// kafkajs 2.2.4's src/producer/sendMessages.js with one change (installed over it by
// scripts/patch-dependencies.mjs; see docs/adr/0012-kafkajs-send-retry.md).
//
// The original remembered which *brokers* had answered a send and, on a retry, skipped them. After
// a leader fails over, a partition that was never written can move to a broker that already answered
// for other partitions of the same send: it was skipped, and the send resolved without ever writing
// it. Here what is remembered is the *partitions* acknowledged: a retry sends every partition not yet
// acknowledged to whichever broker leads it now.
const { KafkaJSMetadataNotLoaded } = require('../errors')
const { staleMetadata } = require('../protocol/error')
const groupMessagesPerPartition = require('./groupMessagesPerPartition')
const createTopicData = require('./createTopicData')
const responseSerializer = require('./responseSerializer')

const { keys } = Object

/** paystream: the marker scripts/patch-dependencies.mjs and the runtime look for. */
const PAYSTREAM_PARTITION_ACKS = true

const partitionKey = (topic, partition) => `${topic}\u0000${String(partition)}`

/**
 * @param {Object} options
 * @param {import("../../types").Logger} options.logger
 * @param {import("../../types").Cluster} options.cluster
 * @param {ReturnType<import("../../types").ICustomPartitioner>} options.partitioner
 * @param {import("./eosManager").EosManager} options.eosManager
 * @param {import("../retry").Retrier} options.retrier
 */
module.exports = ({ logger, cluster, partitioner, eosManager, retrier }) => {
  return async ({ acks, timeout, compression, topicMessages }) => {
    /** The serialized response of every partition acknowledged so far, by topic and partition. */
    const acknowledged = new Map()

    const createProducerRequests = async () => {
      const topicMetadata = new Map()
      const brokers = new Map()

      await cluster.refreshMetadataIfNecessary()

      for (const { topic, messages } of topicMessages) {
        const partitionMetadata = cluster.findTopicPartitionMetadata(topic)

        if (partitionMetadata.length === 0) {
          logger.debug('Producing to topic without metadata', {
            topic,
            targetTopics: Array.from(cluster.targetTopics),
          })

          throw new KafkaJSMetadataNotLoaded('Producing to topic without metadata')
        }

        const messagesPerPartition = groupMessagesPerPartition({
          topic,
          partitionMetadata,
          messages,
          partitioner,
        })

        const partitions = keys(messagesPerPartition).filter(
          partition => !acknowledged.has(partitionKey(topic, partition))
        )
        if (partitions.length === 0) continue
        const partitionsPerLeader = cluster.findLeaderForPartitions(topic, partitions)

        topicMetadata.set(topic, { partitionsPerLeader, messagesPerPartition })

        for (const nodeId of keys(partitionsPerLeader)) {
          if (!brokers.has(nodeId)) brokers.set(nodeId, await cluster.findBroker({ nodeId }))
        }
      }

      return Array.from(brokers.values()).map(async broker => {
        const entries = Array.from(topicMetadata.entries())
        const topicDataForBroker = entries
          .filter(([_, { partitionsPerLeader }]) => !!partitionsPerLeader[broker.nodeId])
          .map(([topic, { partitionsPerLeader, messagesPerPartition }]) => ({
            topic,
            partitions: partitionsPerLeader[broker.nodeId],
            messagesPerPartition,
          }))

        const topicData = createTopicData(topicDataForBroker)

        await eosManager.acquireBrokerLock(broker)
        try {
          if (eosManager.isTransactional()) {
            await eosManager.addPartitionsToTransaction(topicData)
          }

          topicData.forEach(({ topic, partitions }) => {
            partitions.forEach(entry => {
              entry['firstSequence'] = eosManager.getSequence(topic, entry.partition)
              eosManager.updateSequence(topic, entry.partition, entry.messages.length)
            })
          })

          let response
          try {
            response = await broker.produce({
              transactionalId: eosManager.isTransactional()
                ? eosManager.getTransactionalId()
                : undefined,
              producerId: eosManager.getProducerId(),
              producerEpoch: eosManager.getProducerEpoch(),
              acks,
              timeout,
              compression,
              topicData,
            })
          } catch (e) {
            topicData.forEach(({ topic, partitions }) => {
              partitions.forEach(entry => {
                eosManager.updateSequence(topic, entry.partition, -entry.messages.length)
              })
            })
            throw e
          }

          const formattedResponse = acks !== 0 ? responseSerializer(response) : []
          topicData.forEach(({ topic, partitions }) => {
            partitions.forEach(({ partition }) => {
              acknowledged.set(
                partitionKey(topic, partition),
                formattedResponse.filter(
                  r => r.topicName === topic && String(r.partition) === String(partition)
                )
              )
            })
          })
        } finally {
          await eosManager.releaseBrokerLock(broker)
        }
      })
    }

    return retrier(async (bail, retryCount, retryTime) => {
      const topics = topicMessages.map(({ topic }) => topic)
      await cluster.addMultipleTargetTopics(topics)

      try {
        const requests = await createProducerRequests()
        await Promise.all(requests)
        return Array.from(acknowledged.values()).flat()
      } catch (e) {
        if (e.name === 'KafkaJSConnectionClosedError') {
          cluster.removeBroker({ host: e.host, port: e.port })
        }

        if (!cluster.isConnected()) {
          logger.debug(`Cluster has disconnected, reconnecting: ${e.message}`, {
            retryCount,
            retryTime,
          })
          await cluster.connect()
          await cluster.refreshMetadata()
          throw e
        }

        // This is necessary in case the metadata is stale and the number of partitions
        // for this topic has increased in the meantime
        if (
          staleMetadata(e) ||
          e.name === 'KafkaJSMetadataNotLoaded' ||
          e.name === 'KafkaJSConnectionError' ||
          e.name === 'KafkaJSConnectionClosedError' ||
          (e.name === 'KafkaJSProtocolError' && e.retriable)
        ) {
          logger.error(`Failed to send messages: ${e.message}`, { retryCount, retryTime })
          await cluster.refreshMetadata()
          throw e
        }

        logger.error(`${e.message}`, { retryCount, retryTime })
        if (e.retriable) throw e
        bail(e)
      }
    })
  }
}

module.exports.PAYSTREAM_PARTITION_ACKS = PAYSTREAM_PARTITION_ACKS
