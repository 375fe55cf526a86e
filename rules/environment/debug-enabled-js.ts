import express from "express";
import errorhandler from "errorhandler";
import mongoose from "mongoose";
import { ApolloServer } from "@apollo/server";
import { GraphQLModule } from "@nestjs/graphql";
import { ApolloDriver, ApolloDriverConfig } from "@nestjs/apollo";
import { typeDefs, resolvers } from "./schema";

const app = express();

// ruleid: debug-enabled-js
app.set("env", "development");

// ruleid: debug-enabled-js
process.env.NODE_ENV = "development";

// ruleid: debug-enabled-js
app.use(errorhandler());

// ruleid: debug-enabled-js
mongoose.set("debug", true);

// ruleid: debug-enabled-js
const server = new ApolloServer({ typeDefs, resolvers, includeStacktraceInErrorResponses: true });

// ruleid: debug-enabled-js
export const graphqlImport = GraphQLModule.forRoot<ApolloDriverConfig>({
  driver: ApolloDriver,
  autoSchemaFile: true,
  debug: true,
});

if (process.env.NODE_ENV === "development") {
  // ok: debug-enabled-js
  app.use(errorhandler());
  // ok: debug-enabled-js
  mongoose.set("debug", true);
}

// ok: debug-enabled-js
mongoose.set("debug", process.env.MONGOOSE_DEBUG === "1");

// ok: debug-enabled-js
const server2 = new ApolloServer({
  typeDefs,
  resolvers,
  includeStacktraceInErrorResponses: process.env.NODE_ENV !== "production",
});

// ok: debug-enabled-js
app.set("env", process.env.NODE_ENV || "production");

// ok: debug-enabled-js
export const graphqlImportOk = GraphQLModule.forRoot<ApolloDriverConfig>({
  driver: ApolloDriver,
  debug: false,
});
