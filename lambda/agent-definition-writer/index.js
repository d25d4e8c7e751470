'use strict';
// Deploy-time writer of one agent definition (a CloudFormation custom resource). Deployed
// inline as plain CommonJS on Node.js 24, whose built-in AWS SDK provides the DynamoDB client.
const http = require('node:http');
const https = require('node:https');
const { DynamoDBClient, PutItemCommand, DeleteItemCommand } = require('@aws-sdk/client-dynamodb');

const dynamodb = new DynamoDBClient({});

exports.handler = async (event) => {
  const { TableName, Key, Item, DeleteOnRemoval } = event.ResourceProperties;
  const physicalResourceId = `${TableName}/${Object.values(JSON.parse(Key))[0].S}`;
  let failure;
  try {
    if (event.RequestType === 'Create' || event.RequestType === 'Update') {
      await dynamodb.send(new PutItemCommand({ TableName, Item: JSON.parse(Item) }));
    } else if (
      event.RequestType === 'Delete' &&
      DeleteOnRemoval === 'true' &&
      event.PhysicalResourceId === physicalResourceId
    ) {
      await dynamodb.send(new DeleteItemCommand({ TableName, Key: JSON.parse(Key) }));
    }
  } catch (error) {
    failure = `${error.name}: ${error.message}`;
  }
  await respond(event, physicalResourceId, failure);
};

/** Tells CloudFormation the outcome through the pre-signed S3 URL of the request. */
function respond(event, physicalResourceId, failure) {
  const body = JSON.stringify({
    Status: failure === undefined ? 'SUCCESS' : 'FAILED',
    Reason: failure === undefined ? 'written' : failure.slice(0, 1000),
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    const client = event.ResponseURL.startsWith('https:') ? https : http;
    const request = client.request(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', reject);
    request.end(body);
  });
}
