import { describeRoutes, startGateway } from '#local/gateway';

const port = Number(process.env.PORT ?? 3000);
const gateway = await startGateway({ port, log: (line) => console.log(line) });

console.log(`\nHTTP API  ${gateway.url}\n\n${describeRoutes()}\n`);

const stop = async () => {
  await gateway.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
